package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.ProductionConfirmation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts production confirmations to SAP's API_PROD_ORDER_CONFIRMATION_2_SRV (OData V2) and reads
 * them back by idempotency key. Does SAP Gateway's CSRF handshake itself (REFERENCE §1.2): a GET on
 * the service root with {@code X-CSRF-Token: Fetch}, then token and session cookies on the POST;
 * on 403 {@code X-CSRF-Token: Required} (token expired) it fetches a new token and retries once.
 * Built on the JDK HTTP client: SAP Cloud SDK 5.20 pulls Jackson 2.19 under Boot's 2.21 (see
 * docs/erp.md). Never logs the password or HTTP headers.
 */
public class SapConfirmationClient {

    private static final Logger log = LoggerFactory.getLogger(SapConfirmationClient.class);
    private static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String ENTITY_SET = "ProdnOrdConf2";
    private static final int READ_BACK_PAGE = 100;
    private static final int MAX_READ_BACK_PAGES = 1000;
    /**
     * SAP enqueue-lock messages (T100 class/number): the order is being changed by someone else;
     * retried. MC/601 "object requested is currently locked by user", M3/897 material locked,
     * CO/469 order locked. Not confirmed from SAP documentation for this service: also HTTP 409
     * and 423 count as a lock.
     */
    static final java.util.Set<String> LOCK_MESSAGES = java.util.Set.of("MC/601", "M3/897", "CO/469");

    private final ErpProperties settings;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String serviceRoot;
    private volatile String csrfToken;
    /** OAuth2 client credentials; null = HTTP Basic with username and password. */
    private final ErpTokenSource tokens;

    public SapConfirmationClient(ErpProperties settings, ObjectMapper json) {
        this(settings, json, null);
    }

    /** @param tokens OAuth2 access tokens to log on with; null = HTTP Basic with {@code username}/{@code password} */
    public SapConfirmationClient(ErpProperties settings, ObjectMapper json, ErpTokenSource tokens) {
        this.settings = settings;
        this.json = json;
        this.tokens = tokens;
        this.serviceRoot = settings.baseUrl().endsWith("/") ? settings.baseUrl() : settings.baseUrl() + "/";
        // SAP binds the CSRF token to the session cookies that come with it: keep them
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Creates the confirmation in SAP.
     *
     * @return SAP's key of the created confirmation
     * @throws ErpRejectedException SAP refused it for a business reason (4xx with SAP's error)
     * @throws ErpUnavailableException no verdict: 5xx, timeout, IO, logon refused
     */
    public PostedConfirmation post(ProductionConfirmation confirmation) {
        byte[] body = payload(confirmation);
        if (csrfToken == null) {
            csrfToken = fetchCsrfToken(confirmation);
        }
        HttpResponse<String> response = send(postRequest(body), confirmation);
        if (response.statusCode() == 403 && "Required".equalsIgnoreCase(response.headers().firstValue(CSRF_HEADER).orElse(""))) {
            log.debug("CSRF token expired; fetching a new one key={}", confirmation.idempotencyKey());
            csrfToken = fetchCsrfToken(confirmation);
            response = send(postRequest(body), confirmation);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            JsonNode d = readJsonQuietly(response.body()).path("d");
            String group = d.path("ConfirmationGroup").asText("");
            String count = d.path("ConfirmationCount").asText("");
            if (status == 201 && !group.isBlank() && !count.isBlank()
                    && confirmation.idempotencyKey().equals(d.path("ConfirmationText").asText(confirmation.idempotencyKey()))) {
                return new PostedConfirmation(group, count);
            }
            // SAP answered "done" with something the hub cannot read: whether it holds the confirmation is verified by read-back
            throw new ErpUnavailableException("SAP answered HTTP " + status + " without a readable confirmation key="
                    + confirmation.idempotencyKey() + " order=" + confirmation.orderId() + " operation=" + confirmation.operation()
                    + "; it is read back before anything else: " + abbreviate(response.body()),
                    confirmation.orderId(), confirmation.operation(), confirmation.idempotencyKey(), status, null, true);
        }
        throw failure(response, confirmation);
    }

    /** The confirmation SAP holds with this key in ConfirmationText, whatever its order (see {@link #find}). */
    public Optional<PostedConfirmation> findByIdempotencyKey(String idempotencyKey) {
        return find(idempotencyKey, null, null);
    }

    /**
     * The confirmation SAP holds for this one: ConfirmationText equal to its key, and its order and
     * operation (issue 8, hole 8). Entities that do not match are not taken for it, in case SAP does
     * not filter on ConfirmationText; server-side paging ({@code __next}) and client paging by
     * {@code $top}/{@code $skip} are followed to the end.
     */
    public Optional<PostedConfirmation> find(ProductionConfirmation confirmation) {
        return find(confirmation.idempotencyKey(), confirmation.orderId(), confirmation.operation());
    }

    private Optional<PostedConfirmation> find(String idempotencyKey, String orderId, String operation) {
        StringBuilder filter = new StringBuilder("ConfirmationText eq '" + literal(idempotencyKey) + "'");
        if (orderId != null) {
            filter.append(" and OrderID eq '").append(literal(orderId)).append("' and OrderOperation eq '")
                    .append(literal(operation)).append("'");
        }
        String first = serviceRoot + ENTITY_SET + "?$filter=" + encode(filter.toString()) + "&$format=json" + clientParameter("&");
        int skip = 0;
        String next = first + "&$top=" + READ_BACK_PAGE;
        for (int page = 0; page < MAX_READ_BACK_PAGES && next != null; page++) {
            HttpResponse<String> response = send(authorized(HttpRequest.newBuilder(URI.create(next)))
                    .header("Accept", "application/json").GET().build(), orderId, operation, idempotencyKey);
            if (response.statusCode() != 200) {
                throw new ErpUnavailableException("SAP read-back failed key=" + idempotencyKey + " status=" + response.statusCode()
                        + hint(response.statusCode()) + ": " + abbreviate(response.body()), orderId, operation, idempotencyKey,
                        response.statusCode(), null, true);
            }
            JsonNode d = readJson(response.body()).path("d");
            JsonNode results = d.path("results");
            if (!results.isArray()) {
                throw new ErpUnavailableException("SAP read-back answered without results key=" + idempotencyKey + ": "
                        + abbreviate(response.body()), orderId, operation, idempotencyKey, 200, null, true);
            }
            for (JsonNode entity : results) {
                if (idempotencyKey.equals(entity.path("ConfirmationText").asText(null))
                        && (orderId == null || (orderId.equals(entity.path("OrderID").asText(null))
                                && operation.equals(entity.path("OrderOperation").asText(null))))) {
                    return Optional.of(new PostedConfirmation(entity.path("ConfirmationGroup").asText(),
                            entity.path("ConfirmationCount").asText()));
                }
            }
            String serverNext = d.path("__next").asText(null);
            if (serverNext != null && !serverNext.isBlank()) {
                next = serverNext.startsWith("http") ? serverNext : serviceRoot + serverNext;
            } else if (results.size() >= READ_BACK_PAGE) {
                skip += results.size();
                next = first + "&$top=" + READ_BACK_PAGE + "&$skip=" + skip;
            } else {
                next = null;
            }
        }
        if (next != null) {
            throw new ErpUnavailableException("SAP read-back key=" + idempotencyKey + " went past " + MAX_READ_BACK_PAGES
                    + " pages without an end", orderId, operation, idempotencyKey, 200, null, true);
        }
        return Optional.empty();
    }

    /**
     * What SAP holds for one order operation: the sums of ConfirmationYieldQuantity and
     * ConfirmationScrapQuantity over all its confirmations (reversed and reversal entries, where SAP
     * reports them, excluded), following paging to the end.
     *
     * @return {yield, scrap}
     */
    public BigDecimal[] totals(String orderId, String operation) {
        String filter = "OrderID eq '" + literal(orderId) + "' and OrderOperation eq '" + literal(operation) + "'";
        String first = serviceRoot + ENTITY_SET + "?$filter=" + encode(filter) + "&$format=json" + clientParameter("&");
        BigDecimal yield = BigDecimal.ZERO;
        BigDecimal scrap = BigDecimal.ZERO;
        int skip = 0;
        String next = first + "&$top=" + READ_BACK_PAGE;
        for (int page = 0; page < MAX_READ_BACK_PAGES && next != null; page++) {
            HttpResponse<String> response = send(authorized(HttpRequest.newBuilder(URI.create(next)))
                    .header("Accept", "application/json").GET().build(), orderId, operation, null);
            if (response.statusCode() != 200) {
                throw new ErpUnavailableException("SAP read of order " + orderId + " operation " + operation + " failed status="
                        + response.statusCode() + hint(response.statusCode()), orderId, operation, null, response.statusCode(), null, true);
            }
            JsonNode d = readJson(response.body()).path("d");
            JsonNode results = d.path("results");
            for (JsonNode entity : results) {
                if (orderId.equals(entity.path("OrderID").asText(null)) && operation.equals(entity.path("OrderOperation").asText(null))
                        && !entity.path("IsReversed").asBoolean(false) && !entity.path("IsReversal").asBoolean(false)) {
                    yield = yield.add(new BigDecimal(entity.path("ConfirmationYieldQuantity").asText("0")));
                    scrap = scrap.add(new BigDecimal(entity.path("ConfirmationScrapQuantity").asText("0")));
                }
            }
            String serverNext = d.path("__next").asText(null);
            if (serverNext != null && !serverNext.isBlank()) {
                next = serverNext.startsWith("http") ? serverNext : serviceRoot + serverNext;
            } else if (results.size() >= READ_BACK_PAGE) {
                skip += results.size();
                next = first + "&$top=" + READ_BACK_PAGE + "&$skip=" + skip;
            } else {
                next = null;
            }
        }
        return new BigDecimal[] {yield, scrap};
    }

    private static String literal(String text) {
        return text.replace("'", "''");
    }

    private String fetchCsrfToken(ProductionConfirmation confirmation) {
        HttpRequest request = authorized(HttpRequest.newBuilder(URI.create(serviceRoot + clientParameter("?"))))
                .header(CSRF_HEADER, "Fetch")
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = send(request, confirmation);
        Optional<String> token = response.headers().firstValue(CSRF_HEADER);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ErpAuthorizationException("SAP refused the hub's logon url=" + serviceRoot + " status=" + response.statusCode()
                    + hint(response.statusCode()), confirmation.orderId(), confirmation.operation(),
                    confirmation.idempotencyKey(), response.statusCode());
        }
        if (response.statusCode() != 200 || token.isEmpty() || "Required".equalsIgnoreCase(token.get())) {
            throw new ErpUnavailableException("SAP gave no CSRF token url=" + serviceRoot + " status=" + response.statusCode()
                    + hint(response.statusCode()), confirmation.orderId(), confirmation.operation(),
                    confirmation.idempotencyKey(), response.statusCode(), null);
        }
        return token.get();
    }

    private HttpRequest postRequest(byte[] body) {
        return authorized(HttpRequest.newBuilder(URI.create(serviceRoot + ENTITY_SET + clientParameter("?"))))
                .header(CSRF_HEADER, csrfToken == null ? "" : csrfToken)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /** The ProdnOrdConf2 entity as SAP expects it in V2 JSON (REFERENCE §1.1, §1.6). */
    byte[] payload(ProductionConfirmation confirmation) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("OrderID", confirmation.orderId());
        entity.put("Sequence", "0");
        entity.put("OrderOperation", confirmation.operation());
        entity.put("ConfirmationYieldQuantity", decimal(confirmation.yieldQuantity()));
        entity.put("ConfirmationScrapQuantity", decimal(confirmation.scrapQuantity()));
        entity.put("ConfirmationUnit", confirmation.unit());
        long midnight = confirmation.postingDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        entity.put("PostingDate", "/Date(" + midnight + ")/");
        entity.put("FinalConfirmationType", confirmation.finalConfirmation() ? "X" : "");
        entity.put("ConfirmationText", confirmation.idempotencyKey());
        try {
            return json.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write confirmation key=" + confirmation.idempotencyKey(), e);
        }
    }

    /**
     * What an answer that is not 2xx means (issue 8, hole 6): 401 and 403 are authorization, parked
     * with an alert; 400 and 404 (and other 4xx) with SAP's error JSON are SAP's verdict on this
     * confirmation, parked; 408, 429, 5xx, a lock (409, 423, or a lock message) and anything
     * without SAP's error JSON (a proxy's page, a wrong URL) give no verdict and are retried.
     */
    private ErpException failure(HttpResponse<String> response, ProductionConfirmation c) {
        int status = response.statusCode();
        JsonNode error = readJsonQuietly(response.body()).path("error");
        String code = error.isMissingNode() ? null : error.path("code").asText(null);
        String where = " key=" + c.idempotencyKey() + " order=" + c.orderId() + " operation=" + c.operation();
        if (status == 401 || status == 403) {
            return new ErpAuthorizationException("SAP refused the hub's authorization" + where + ": HTTP " + status + hint(status)
                    + (error.isMissingNode() ? "" : " " + error.path("message").path("value").asText()),
                    c.orderId(), c.operation(), c.idempotencyKey(), status);
        }
        boolean lock = status == 409 || status == 423 || (code != null && LOCK_MESSAGES.contains(code));
        boolean verdict = status >= 400 && status < 500 && status != 408 && status != 429 && !lock && !error.isMissingNode();
        if (!verdict) {
            return new ErpUnavailableException("SAP did not accept confirmation" + where + ": HTTP " + status + hint(status)
                    + (lock ? " (locked; retried)" : "")
                    + (error.isMissingNode() ? "" : " " + error.path("message").path("value").asText()),
                    c.orderId(), c.operation(), c.idempotencyKey(), status, null);
        }
        StringBuilder reason = new StringBuilder(error.path("message").path("value").asText("(no message)"));
        if (code != null) {
            reason.append(" (").append(code).append(")");
        }
        for (JsonNode detail : error.path("innererror").path("errordetails")) {
            String text = detail.path("message").asText("");
            if (!text.isEmpty() && reason.indexOf(text) < 0) {
                reason.append("; ").append(text);
            }
        }
        return new ErpRejectedException("SAP rejected confirmation" + where + ": " + reason, c.orderId(), c.operation(),
                c.idempotencyKey(), status, code);
    }

    String hint(int status) {
        return switch (status) {
            case 401 -> tokens != null ? " (access token refused twice: check the OAuth2 client's roles in the ERP)"
                    : " (logon refused: check millwright.erp.username and MILLWRIGHT_ERP_PASSWORD)";
            case 403 -> " (not authorized, or CSRF refused twice: check the user's roles)";
            case 404 -> " (service not found: check millwright.erp.base-url and sap-client)";
            default -> "";
        };
    }

    private HttpResponse<String> send(HttpRequest request, ProductionConfirmation c) {
        return send(request, c.orderId(), c.operation(), c.idempotencyKey());
    }

    private HttpResponse<String> send(HttpRequest request, String orderId, String operation, String key) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 401 && tokens != null) {
                // the token expired early or was revoked: one retry with a fresh one
                String refused = request.headers().firstValue("Authorization").orElse("").replaceFirst("^Bearer ", "");
                tokens.invalidate(refused);
                log.debug("ERP refused the access token; fetching a new one and retrying once key={}", key);
                HttpRequest retry = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                        .header("Authorization", "Bearer " + tokens.token())
                        .build();
                response = http.send(retry, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new ErpUnavailableException("SAP unreachable url=" + serviceRoot + " key=" + key + ": " + e,
                    orderId, operation, key, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErpUnavailableException("interrupted while calling SAP key=" + key, orderId, operation, key, 0, e);
        }
    }

    HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        builder.timeout(settings.requestTimeout());
        if (tokens != null) {
            return builder.header("Authorization", "Bearer " + tokens.token());
        }
        if (settings.username() != null && !settings.username().isBlank()) {
            String credentials = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return builder;
    }

    private String clientParameter(String separator) {
        return settings.sapClient() == null || settings.sapClient().isBlank() ? "" : separator + "sap-client=" + settings.sapClient();
    }

    private JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ErpUnavailableException("SAP answered with unreadable JSON: " + abbreviate(body), null, null, null, 0, e);
        }
    }

    private JsonNode readJsonQuietly(String body) {
        try {
            return body == null || body.isBlank() ? json.missingNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            // not SAP's error JSON (e.g. a proxy's HTML page): treated as no verdict
            return json.missingNode();
        }
    }

    private static String decimal(BigDecimal value) {
        return value.setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
