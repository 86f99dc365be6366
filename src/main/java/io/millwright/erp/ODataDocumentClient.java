package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.olingo.odata2.api.batch.BatchException;
import org.apache.olingo.odata2.api.client.batch.BatchChangeSet;
import org.apache.olingo.odata2.api.client.batch.BatchChangeSetPart;
import org.apache.olingo.odata2.api.client.batch.BatchPart;
import org.apache.olingo.odata2.api.client.batch.BatchSingleResponse;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one client for SAP OData V2 services, shared by every document type and every relay
 * thread: confirmations ({@link SapConfirmationClient}), goods movements and maintenance
 * notifications ({@link ODataDocumentType}).
 * <ul>
 *   <li>Logon: HTTP Basic, or an OAuth2 bearer token; a 401 gets one retry with a fresh token.</li>
 *   <li>CSRF (REFERENCE §1.2): per service root, a GET with {@code X-CSRF-Token: Fetch}; the token is
 *       kept <em>together with the session cookies that came with it</em> and both go on every POST.
 *       No shared cookie jar: concurrent POSTs never pair one session's token with another's cookie.
 *       One fetch at a time per service root; on 403 {@code X-CSRF-Token: Required} the session is
 *       renewed once (by the first thread to see it refused; the others take the new one) and the
 *       POST retried once.</li>
 *   <li>Answers classified (issue 8, hole 6): 401/403 authorization; 4xx with SAP's error JSON a
 *       verdict; 408, 429, 5xx, locks, timeouts and anything without SAP's error JSON no verdict.</li>
 *   <li>Reads follow server paging ({@code __next}) and client paging ({@code $top}/{@code $skip}) to the end.</li>
 * </ul>
 * Built on the JDK HTTP client (SAP Cloud SDK 5.20 pulls Jackson 2.19 under Boot's 2.21, see
 * docs/erp.md). Never logs the password, tokens or HTTP headers.
 */
class ODataDocumentClient {

    private static final Logger log = LoggerFactory.getLogger(ODataDocumentClient.class);
    private static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 1000;
    /**
     * SAP enqueue-lock messages (T100 class/number): the order is being changed by someone else;
     * retried. MC/601 "object requested is currently locked by user", M3/897 material locked,
     * CO/469 order locked. Not confirmed from SAP documentation for this service: also HTTP 409
     * and 423 count as a lock.
     */
    static final java.util.Set<String> LOCK_MESSAGES = java.util.Set.of("MC/601", "M3/897", "CO/469");

    /** What a call is about, for errors and logs: the document ("confirmation", an entity set) and its keys. */
    record Subject(String what, String orderId, String operation, String key) {

        static Subject of(String what, OutboxEntry entry) {
            return new Subject(what, entry.orderId(), entry.operation(), entry.idempotencyKey());
        }

        String where() {
            return " " + what + (key == null ? "" : " key=" + key) + (orderId == null ? "" : " order=" + orderId)
                    + (operation == null ? "" : " operation=" + operation);
        }
    }

    /** A CSRF token and the session cookies it is bound to ({@code name=value; name=value}). */
    private record CsrfSession(String token, String cookies) {}

    private final ErpProperties settings;
    private final ObjectMapper json;
    private final ErpTokenSource tokens;
    private final HttpClient http;
    private final Map<String, CsrfSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Object> fetchLocks = new ConcurrentHashMap<>();

    /** @param tokens OAuth2 access tokens to log on with; null = HTTP Basic with {@code username}/{@code password} */
    ODataDocumentClient(ErpProperties settings, ObjectMapper json, ErpTokenSource tokens) {
        this.settings = settings;
        this.json = json;
        this.tokens = tokens;
        // no cookie handler: the cookies of each CSRF session are kept with its token (see class comment)
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * POSTs the entity to {@code serviceRoot + entitySet}.
     *
     * @return SAP's answer, the created entity ({@code d}) of a 201
     * @throws ErpRejectedException SAP's verdict: it refused the document
     * @throws ErpAuthorizationException SAP refused the hub's logon or authorization
     * @throws ErpUnavailableException no verdict (uncertain where SAP answered 2xx without a readable entity)
     */
    JsonNode create(String serviceRoot, String entitySet, byte[] body, Subject subject) {
        String url = serviceRoot + entitySet + clientParameter("?");
        CsrfSession session = session(serviceRoot, subject);
        HttpResponse<String> response = send(post(url, body, session), serviceRoot, subject);
        if (response.statusCode() == 403 && "Required".equalsIgnoreCase(response.headers().firstValue(CSRF_HEADER).orElse(""))) {
            log.debug("CSRF token refused (SAP session expired); renewing it serviceRoot={} key={}", serviceRoot, subject.key());
            session = renew(serviceRoot, session, subject);
            response = send(post(url, body, session), serviceRoot, subject);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            JsonNode d = readQuietly(response.body()).path("d");
            if (status == 201 && d.isObject()) {
                return d;
            }
            // SAP answered "done" with something the hub cannot read: whether it holds the document is verified by read-back
            throw new ErpUnavailableException("SAP answered HTTP " + status + " without a readable" + subject.where()
                    + "; it is read back before anything else: " + abbreviate(response.body()), subject.orderId(),
                    subject.operation(), subject.key(), status, null, true);
        }
        throw failure(response, subject);
    }

    /**
     * What SAP answered to one document of a {@code $batch}: the created entity ({@code d} of its 201),
     * or why not, classified as a single POST's answer ({@link ErpRejectedException} a verdict,
     * {@link ErpAuthorizationException}, {@link ErpUnavailableException} no verdict).
     */
    record BatchResult(JsonNode created, ErpException failure) {}

    /**
     * POSTs the entities to {@code serviceRoot + entitySet} in one OData V2 {@code $batch} request
     * (OData V2 part 1, section 2.2.7.6; SAP Gateway's batch handling), <em>one changeset per
     * document</em>, so SAP commits or refuses each document on its own and one refused document never
     * takes the others with it. SAP answers 202 with one part per changeset, in request order: the
     * changeset's 201, or the error response that rolled it back.
     *
     * @return one result per entity, in the order given
     * @throws ErpUnavailableException the batch as a whole got no answer SAP could have meant (timeout,
     *         5xx, a proxy's page, fewer parts than changesets): each document's fate is uncertain and is
     *         read back, as after a timed-out single POST
     * @throws ErpAuthorizationException SAP refused the hub's logon for the batch
     */
    List<BatchResult> createBatch(String serviceRoot, String entitySet, List<byte[]> bodies, List<Subject> subjects) {
        if (bodies.size() != subjects.size() || bodies.isEmpty()) {
            throw new IllegalArgumentException("a $batch needs one subject per entity and at least one entity");
        }
        Subject batchSubject = new Subject(entitySet + " $batch of " + bodies.size(), null, null, subjects.get(0).key());
        String boundary = "batch_" + java.util.UUID.randomUUID();
        byte[] request = batchBody(boundary, entitySet, bodies);
        String url = serviceRoot + "$batch" + clientParameter("?");
        CsrfSession session = session(serviceRoot, batchSubject);
        HttpResponse<String> response = send(batchPost(url, boundary, request, session), serviceRoot, batchSubject);
        if (response.statusCode() == 403 && "Required".equalsIgnoreCase(response.headers().firstValue(CSRF_HEADER).orElse(""))) {
            session = renew(serviceRoot, session, batchSubject);
            response = send(batchPost(url, boundary, request, session), serviceRoot, batchSubject);
        }
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status != 202 && status != 200) {
            ErpException failure = failure(response, batchSubject);
            if (failure instanceof ErpAuthorizationException) {
                throw failure;
            }
            // a refusal of the whole request (no changeset was processed) or no answer at all: retried
            throw new ErpUnavailableException("SAP did not process the $batch of " + bodies.size() + " " + entitySet + ": HTTP " + status
                    + hint(status) + " " + abbreviate(response.body()), null, null, subjects.get(0).key(), status, null);
        }
        List<BatchSingleResponse> parts = responses(response.body(), contentType);
        List<BatchResult> results = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            Subject subject = subjects.get(i);
            if (i >= parts.size()) {
                results.add(new BatchResult(null, new ErpUnavailableException("SAP's $batch answer has no part for" + subject.where()
                        + " (" + parts.size() + " parts for " + bodies.size() + " changesets); it is read back",
                        subject.orderId(), subject.operation(), subject.key(), status, null, true)));
                continue;
            }
            results.add(result(parts.get(i), subject));
        }
        return results;
    }

    /** SAP's answer parsed by Olingo's batch parser: one response per changeset; empty when it cannot be parsed. */
    private static List<BatchSingleResponse> responses(String body, String contentType) {
        try {
            return EntityProvider.parseBatchResponse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), contentType);
        } catch (BatchException | RuntimeException e) {
            return List.of(); // each document is then read back
        }
    }

    /** One changeset's response: its 201, or the error response that rolled it back. */
    private BatchResult result(BatchSingleResponse part, Subject subject) {
        int status;
        try {
            status = Integer.parseInt(part.getStatusCode());
        } catch (NumberFormatException e) {
            status = 0;
        }
        String body = part.getBody() == null ? "" : part.getBody();
        if (status >= 200 && status < 300) {
            JsonNode d = readQuietly(body).path("d");
            if (status == 201 && d.isObject()) {
                return new BatchResult(d, null);
            }
            return new BatchResult(null, new ErpUnavailableException("SAP answered HTTP " + status + " in its $batch without a readable"
                    + subject.where() + "; it is read back: " + abbreviate(body), subject.orderId(), subject.operation(),
                    subject.key(), status, null, true));
        }
        if (status == 0) {
            return new BatchResult(null, new ErpUnavailableException("SAP's $batch part for" + subject.where()
                    + " is not an HTTP response; it is read back: " + abbreviate(body), subject.orderId(), subject.operation(),
                    subject.key(), 0, null, true));
        }
        return new BatchResult(null, failure(status, body, subject));
    }

    /**
     * The multipart/mixed request, written by Olingo's batch writer: per entity a changeset with its one
     * POST (OData V2 batch format).
     */
    private byte[] batchBody(String boundary, String entitySet, List<byte[]> bodies) {
        List<BatchPart> changesets = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            BatchChangeSet changeset = BatchChangeSet.newBuilder().build();
            changeset.add(BatchChangeSetPart.method("POST").uri(entitySet + clientParameter("?"))
                    .headers(Map.of("Content-Type", "application/json", "Accept", "application/json"))
                    .body(body).build());
            changesets.add(changeset);
        }
        try (InputStream request = EntityProvider.writeBatchRequest(changesets, boundary)) {
            return request.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest batchPost(String url, String boundary, byte[] body, CsrfSession session) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(URI.create(url)))
                .header(CSRF_HEADER, session.token())
                .header("Content-Type", "multipart/mixed; boundary=" + boundary)
                .header("Accept", "multipart/mixed")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!session.cookies().isEmpty()) {
            request.header("Cookie", session.cookies());
        }
        return request.build();
    }

    /** {@link #create(String, String, byte[], Subject)} of a JSON entity. */
    JsonNode create(String serviceRoot, String entitySet, JsonNode entity, OutboxEntry entry) {
        try {
            return create(serviceRoot, entitySet, json.writeValueAsBytes(entity), Subject.of(entitySet, entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + entitySet + " key=" + entry.idempotencyKey(), e);
        }
    }

    /**
     * The first entity of {@code entitySet} matching {@code filter} that {@code isThis} accepts (the
     * server's filter is not trusted alone), following paging to the end.
     */
    Optional<JsonNode> find(String serviceRoot, String entitySet, String filter, Predicate<JsonNode> isThis, Subject subject) {
        JsonNode[] found = new JsonNode[1];
        scan(serviceRoot, entitySet, filter, entity -> {
            if (isThis.test(entity)) {
                found[0] = entity;
                return true;
            }
            return false;
        }, subject);
        return Optional.ofNullable(found[0]);
    }

    Optional<JsonNode> find(String serviceRoot, String entitySet, String filter, Predicate<JsonNode> isThis, OutboxEntry entry) {
        return find(serviceRoot, entitySet, filter, isThis, Subject.of(entitySet, entry));
    }

    /**
     * Reads every entity of {@code entitySet} matching {@code filter}, page by page, until {@code stop}
     * returns true for one of them or the last page was read.
     *
     * @throws ErpUnavailableException SAP could not be read, or answered without results, or paged without an end
     */
    void scan(String serviceRoot, String entitySet, String filter, Predicate<JsonNode> stop, Subject subject) {
        String first = serviceRoot + entitySet + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")
                + "&$format=json" + clientParameter("&");
        String next = first + "&$top=" + PAGE;
        int skip = 0;
        for (int page = 0; page < MAX_PAGES && next != null; page++) {
            HttpResponse<String> response = send(authorized(HttpRequest.newBuilder(URI.create(next)))
                    .header("Accept", "application/json").GET().build(), serviceRoot, subject);
            if (response.statusCode() != 200) {
                throw new ErpUnavailableException("SAP read-back of" + subject.where() + " failed status=" + response.statusCode()
                        + hint(response.statusCode()) + ": " + abbreviate(response.body()), subject.orderId(), subject.operation(),
                        subject.key(), response.statusCode(), null, true);
            }
            JsonNode d = readQuietly(response.body()).path("d");
            JsonNode results = d.path("results");
            if (!results.isArray()) {
                throw new ErpUnavailableException("SAP read-back of" + subject.where() + " answered without results: "
                        + abbreviate(response.body()), subject.orderId(), subject.operation(), subject.key(), 200, null, true);
            }
            for (JsonNode entity : results) {
                if (stop.test(entity)) {
                    return;
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
            throw new ErpUnavailableException("SAP read-back of" + subject.where() + " went past " + MAX_PAGES + " pages without an end",
                    subject.orderId(), subject.operation(), subject.key(), 200, null, true);
        }
    }

    /** The current CSRF session of the service root; the first caller fetches it, the others wait for it. */
    private CsrfSession session(String serviceRoot, Subject subject) {
        CsrfSession current = sessions.get(serviceRoot);
        if (current != null) {
            return current;
        }
        synchronized (fetchLocks.computeIfAbsent(serviceRoot, root -> new Object())) {
            current = sessions.get(serviceRoot);
            if (current == null) {
                current = fetchCsrfSession(serviceRoot, subject);
                sessions.put(serviceRoot, current);
            }
            return current;
        }
    }

    /** A new session in place of the refused one, unless another thread renewed it already: then that one. */
    private CsrfSession renew(String serviceRoot, CsrfSession refused, Subject subject) {
        synchronized (fetchLocks.computeIfAbsent(serviceRoot, root -> new Object())) {
            CsrfSession current = sessions.get(serviceRoot);
            if (current != null && current != refused) {
                return current;
            }
            CsrfSession renewed = fetchCsrfSession(serviceRoot, subject);
            sessions.put(serviceRoot, renewed);
            return renewed;
        }
    }

    /** Fetched without any cookie, so SAP opens a new session whose cookies are kept with its token. */
    private CsrfSession fetchCsrfSession(String serviceRoot, Subject subject) {
        HttpResponse<String> response = send(authorized(HttpRequest.newBuilder(URI.create(serviceRoot + clientParameter("?"))))
                .header(CSRF_HEADER, "Fetch").header("Accept", "application/json").GET().build(), serviceRoot, subject);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ErpAuthorizationException("SAP refused the hub's logon url=" + serviceRoot + " status=" + status + hint(status),
                    subject.orderId(), subject.operation(), subject.key(), status);
        }
        Optional<String> token = response.headers().firstValue(CSRF_HEADER);
        if (status != 200 || token.isEmpty() || "Required".equalsIgnoreCase(token.get())) {
            throw new ErpUnavailableException("SAP gave no CSRF token url=" + serviceRoot + " status=" + status + hint(status),
                    subject.orderId(), subject.operation(), subject.key(), status, null);
        }
        String cookies = response.headers().allValues("Set-Cookie").stream()
                .map(cookie -> cookie.split(";", 2)[0].trim())
                .filter(pair -> pair.contains("="))
                .collect(Collectors.joining("; "));
        return new CsrfSession(token.get(), cookies);
    }

    private HttpRequest post(String url, byte[] body, CsrfSession session) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(URI.create(url)))
                .header(CSRF_HEADER, session.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!session.cookies().isEmpty()) {
            request.header("Cookie", session.cookies());
        }
        return request.build();
    }

    /**
     * What an answer that is not 2xx means (issue 8, hole 6): 401 and 403 are authorization, parked
     * with an alert; 400 and 404 (and other 4xx) with SAP's error JSON are SAP's verdict on this
     * document, parked; 408, 429, 5xx, a lock (409, 423, or a lock message) and anything without
     * SAP's error JSON (a proxy's page, a wrong URL) give no verdict and are retried.
     */
    private ErpException failure(HttpResponse<String> response, Subject subject) {
        return failure(response.statusCode(), response.body(), subject);
    }

    private ErpException failure(int status, String body, Subject subject) {
        JsonNode error = readQuietly(body).path("error");
        String code = error.isMissingNode() ? null : error.path("code").asText(null);
        String message = error.isMissingNode() ? "" : " " + error.path("message").path("value").asText("");
        if (status == 401 || status == 403) {
            return new ErpAuthorizationException("SAP refused the hub's authorization for" + subject.where() + ": HTTP " + status
                    + hint(status) + message, subject.orderId(), subject.operation(), subject.key(), status);
        }
        boolean lock = status == 409 || status == 423 || (code != null && LOCK_MESSAGES.contains(code));
        boolean verdict = status >= 400 && status < 500 && status != 408 && status != 429 && !lock && !error.isMissingNode();
        if (!verdict) {
            return new ErpUnavailableException("SAP did not accept" + subject.where() + ": HTTP " + status + hint(status)
                    + (lock ? " (locked; retried)" : "") + message, subject.orderId(), subject.operation(), subject.key(), status, null);
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
            String field = detail.path("propertyref").asText("");
            if (!field.isEmpty() && reason.indexOf("field ") < 0) {
                reason.append("; field ").append(field);
            }
        }
        return new ErpRejectedException("SAP rejected" + subject.where() + ": " + reason, subject.orderId(), subject.operation(),
                subject.key(), status, code);
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

    private HttpResponse<String> send(HttpRequest request, String serviceRoot, Subject subject) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 401 && tokens != null) {
                // the token expired early or was revoked: one retry with a fresh one
                String refused = request.headers().firstValue("Authorization").orElse("").replaceFirst("^Bearer ", "");
                tokens.invalidate(refused);
                log.debug("ERP refused the access token; fetching a new one and retrying once key={}", subject.key());
                HttpRequest retry = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                        .header("Authorization", "Bearer " + tokens.token())
                        .build();
                response = http.send(retry, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new ErpUnavailableException("SAP unreachable url=" + serviceRoot + " key=" + subject.key() + ": " + e,
                    subject.orderId(), subject.operation(), subject.key(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErpUnavailableException("interrupted while calling SAP key=" + subject.key(), subject.orderId(),
                    subject.operation(), subject.key(), 0, e);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
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

    private JsonNode readQuietly(String body) {
        try {
            return body == null || body.isBlank() ? json.missingNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            // not SAP's error JSON (e.g. a proxy's HTML page): treated as no verdict
            return json.missingNode();
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
