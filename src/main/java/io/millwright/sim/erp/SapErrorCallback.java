package io.millwright.sim.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.processor.ODataErrorCallback;
import org.apache.olingo.odata2.api.processor.ODataErrorContext;
import org.apache.olingo.odata2.api.processor.ODataResponse;

/**
 * Writes errors the way SAP Gateway does in JSON: {@code error.code} (T100 id), {@code
 * error.message.lang/value}, and {@code innererror} with {@code transactionid}, {@code timestamp},
 * {@code application} and {@code errordetails} (REFERENCE §1.2). Always JSON (the simulator does
 * not write SAP's XML error format).
 */
class SapErrorCallback implements ODataErrorCallback {

    /** Code SAP Gateway uses for errors raised by the framework rather than the application. */
    private static final String GATEWAY_CODE = "/IWBEP/CM_MGW_RT/000";

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public ODataResponse handleError(ODataErrorContext context) {
        HttpStatusCodes status = context.getHttpStatus() == null ? HttpStatusCodes.INTERNAL_SERVER_ERROR : context.getHttpStatus();
        String code = context.getErrorCode() == null ? GATEWAY_CODE : context.getErrorCode();
        String message = context.getMessage() == null ? status.getInfo() : context.getMessage();
        String propertyRef = context.getException() instanceof SapBusinessException business ? business.propertyRef() : "";
        return response(status.getStatusCode(), code, message, propertyRef);
    }

    ODataResponse response(int status, String code, String message, String propertyRef) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("code", code);
        detail.put("message", message);
        detail.put("propertyref", propertyRef);
        detail.put("severity", "error");
        detail.put("target", "");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("application", Map.of(
                "component_id", "PP-SFC-EXE-CON",
                "service_namespace", "/SAP/",
                "service_id", ConfirmationEdmProvider.NAMESPACE,
                "service_version", "0001"));
        inner.put("transactionid", UUID.randomUUID().toString().replace("-", "").toUpperCase(java.util.Locale.ROOT));
        inner.put("timestamp", java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSS")
                .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)));
        inner.put("Error_Resolution", Map.of(
                "SAP_Transaction", "For backend administrators: use ADT feed reader \"SAP Gateway Error Log\"",
                "SAP_Note", "See SAP Note 1797736 for error analysis (https://service.sap.com/sap/support/notes/1797736)"));
        inner.put("errordetails", List.of(detail));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", Map.of("lang", "en", "value", message));
        error.put("innererror", inner);
        try {
            byte[] body = json.writeValueAsBytes(Map.of("error", error));
            return ODataResponse.status(HttpStatusCodes.fromStatusCode(status))
                    .entity(new String(body, StandardCharsets.UTF_8))
                    .contentHeader("application/json;charset=utf-8")
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write SAP error document", e);
        }
    }
}
