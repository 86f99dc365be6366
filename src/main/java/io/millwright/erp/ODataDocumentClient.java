package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Creates and reads entities of any SAP OData V2 service for the {@link ODataDocumentType}s
 * (API_MATERIAL_DOCUMENT_SRV, API_MAINTNOTIFICATION): SAP Gateway's CSRF handshake per service root
 * (a token with its session cookies; on 403 {@code X-CSRF-Token: Required} a new one and one retry),
 * the hub's logon as {@link SapConfirmationClient} does it (same user, same authorization header),
 * and SAP's answers classified as for confirmations (issue 8, hole 6): 401/403 authorization, 4xx
 * with SAP's error JSON a verdict, 408/429/5xx/locks/timeouts no verdict. Never logs headers.
 */
class ODataDocumentClient {

    private static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 1000;

    private final SapConfirmationClient logon;
    private final ErpProperties settings;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Map<String, String> csrfTokens = new ConcurrentHashMap<>();

    ODataDocumentClient(SapConfirmationClient logon, ErpProperties settings, ObjectMapper json) {
        this.logon = logon;
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * POSTs the entity to {@code serviceRoot + entitySet}.
     *
     * @return SAP's answer, the created entity ({@code d})
     */
    JsonNode create(String serviceRoot, String entitySet, JsonNode entity, OutboxEntry entry) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + entitySet + " key=" + entry.idempotencyKey(), e);
        }
        String token = csrfTokens.computeIfAbsent(serviceRoot, root -> fetchCsrfToken(root, entry));
        HttpResponse<String> response = send(post(serviceRoot + entitySet + clientParameter("?"), body, token), serviceRoot, entry);
        if (response.statusCode() == 403 && "Required".equalsIgnoreCase(response.headers().firstValue(CSRF_HEADER).orElse(""))) {
            token = fetchCsrfToken(serviceRoot, entry);
            csrfTokens.put(serviceRoot, token);
            response = send(post(serviceRoot + entitySet + clientParameter("?"), body, token), serviceRoot, entry);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            JsonNode d = readQuietly(response.body()).path("d");
            if (status == 201 && d.isObject()) {
                return d;
            }
            throw new ErpUnavailableException("SAP answered HTTP " + status + " without a readable " + entitySet + " key="
                    + entry.idempotencyKey() + "; it is read back before anything else", entry.orderId(), entry.operation(),
                    entry.idempotencyKey(), status, null, true);
        }
        throw failure(response, entitySet, entry);
    }

    /**
     * The first entity of {@code entitySet} matching {@code filter} that {@code isThis} accepts (the
     * server's filter is not trusted alone), following {@code __next} and {@code $skip} paging to the end.
     */
    Optional<JsonNode> find(String serviceRoot, String entitySet, String filter, Predicate<JsonNode> isThis, OutboxEntry entry) {
        String first = serviceRoot + entitySet + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")
                + "&$format=json" + clientParameter("&");
        String next = first + "&$top=" + PAGE;
        int skip = 0;
        for (int page = 0; page < MAX_PAGES && next != null; page++) {
            HttpResponse<String> response = send(logon.authorized(HttpRequest.newBuilder(URI.create(next)))
                    .header("Accept", "application/json").GET().build(), serviceRoot, entry);
            if (response.statusCode() != 200) {
                throw new ErpUnavailableException("SAP read-back of " + entitySet + " failed key=" + entry.idempotencyKey() + " status="
                        + response.statusCode() + logon.hint(response.statusCode()), entry.orderId(), entry.operation(),
                        entry.idempotencyKey(), response.statusCode(), null, true);
            }
            JsonNode d = readQuietly(response.body()).path("d");
            JsonNode results = d.path("results");
            if (!results.isArray()) {
                throw new ErpUnavailableException("SAP read-back of " + entitySet + " answered without results key="
                        + entry.idempotencyKey(), entry.orderId(), entry.operation(), entry.idempotencyKey(), 200, null, true);
            }
            for (JsonNode entity : results) {
                if (isThis.test(entity)) {
                    return Optional.of(entity);
                }
            }
            String serverNext = d.path("__next").asText(null);
            if (serverNext != null && !serverNext.isBlank()) {
                next = serverNext.startsWith("http") ? serverNext : serviceRoot + serverNext;
            } else if (results.size() >= PAGE) {
                skip += results.size();
                next = first + "&$top=" + PAGE + "&$skip=" + skip;
            } else {
                next = null;
            }
        }
        if (next != null) {
            throw new ErpUnavailableException("SAP read-back of " + entitySet + " key=" + entry.idempotencyKey() + " went past "
                    + MAX_PAGES + " pages", entry.orderId(), entry.operation(), entry.idempotencyKey(), 200, null, true);
        }
        return Optional.empty();
    }

    private String fetchCsrfToken(String serviceRoot, OutboxEntry entry) {
        HttpResponse<String> response = send(logon.authorized(HttpRequest.newBuilder(URI.create(serviceRoot + clientParameter("?"))))
                .header(CSRF_HEADER, "Fetch").header("Accept", "application/json").GET().build(), serviceRoot, entry);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ErpAuthorizationException("SAP refused the hub's logon url=" + serviceRoot + " status=" + status
                    + logon.hint(status), entry.orderId(), entry.operation(), entry.idempotencyKey(), status);
        }
        Optional<String> token = response.headers().firstValue(CSRF_HEADER);
        if (status != 200 || token.isEmpty() || "Required".equalsIgnoreCase(token.get())) {
            throw new ErpUnavailableException("SAP gave no CSRF token url=" + serviceRoot + " status=" + status
                    + logon.hint(status), entry.orderId(), entry.operation(), entry.idempotencyKey(), status, null);
        }
        return token.get();
    }

    private HttpRequest post(String url, byte[] body, String token) {
        return logon.authorized(HttpRequest.newBuilder(URI.create(url)))
                .header(CSRF_HEADER, token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private ErpException failure(HttpResponse<String> response, String entitySet, OutboxEntry entry) {
        int status = response.statusCode();
        JsonNode error = readQuietly(response.body()).path("error");
        String code = error.isMissingNode() ? null : error.path("code").asText(null);
        String message = error.isMissingNode() ? "" : " " + error.path("message").path("value").asText("");
        String where = " " + entitySet + " key=" + entry.idempotencyKey() + (entry.orderId() == null ? "" : " order=" + entry.orderId());
        if (status == 401 || status == 403) {
            return new ErpAuthorizationException("SAP refused the hub's authorization for" + where + ": HTTP " + status
                    + logon.hint(status) + message, entry.orderId(), entry.operation(), entry.idempotencyKey(), status);
        }
        boolean lock = status == 409 || status == 423 || (code != null && SapConfirmationClient.LOCK_MESSAGES.contains(code));
        boolean verdict = status >= 400 && status < 500 && status != 408 && status != 429 && !lock && !error.isMissingNode();
        if (!verdict) {
            return new ErpUnavailableException("SAP did not accept" + where + ": HTTP " + status + logon.hint(status)
                    + (lock ? " (locked; retried)" : "") + message, entry.orderId(), entry.operation(), entry.idempotencyKey(), status,
                    null);
        }
        StringBuilder reason = new StringBuilder(error.path("message").path("value").asText("(no message)"));
        if (code != null) {
            reason.append(" (").append(code).append(")");
        }
        for (JsonNode detail : error.path("innererror").path("errordetails")) {
            String field = detail.path("propertyref").asText("");
            if (!field.isEmpty() && reason.indexOf("field ") < 0) {
                reason.append("; field ").append(field);
            }
        }
        return new ErpRejectedException("SAP rejected" + where + ": " + reason, entry.orderId(), entry.operation(),
                entry.idempotencyKey(), status, code);
    }

    private HttpResponse<String> send(HttpRequest request, String serviceRoot, OutboxEntry entry) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ErpUnavailableException("SAP unreachable url=" + serviceRoot + " key=" + entry.idempotencyKey() + ": " + e,
                    entry.orderId(), entry.operation(), entry.idempotencyKey(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErpUnavailableException("interrupted while calling SAP key=" + entry.idempotencyKey(), entry.orderId(),
                    entry.operation(), entry.idempotencyKey(), 0, e);
        }
    }

    private String clientParameter(String separator) {
        return settings.sapClient() == null || settings.sapClient().isBlank() ? "" : separator + "sap-client=" + settings.sapClient();
    }

    private JsonNode readQuietly(String body) {
        try {
            return body == null || body.isBlank() ? json.missingNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            return json.missingNode();
        }
    }
}
