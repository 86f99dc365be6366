package io.millwright.sim.erp;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.olingo.odata2.api.ODataService;
import org.apache.olingo.odata2.api.commons.ODataHttpMethod;
import org.apache.olingo.odata2.api.processor.ODataRequest;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.uri.PathSegment;
import org.apache.olingo.odata2.core.ODataContextImpl;
import org.apache.olingo.odata2.core.ODataPathSegmentImpl;
import org.apache.olingo.odata2.core.ODataRequestHandler;
import org.apache.olingo.odata2.core.PathInfoImpl;
import org.apache.olingo.odata2.api.exception.ODataUnsupportedMediaTypeException;
import org.apache.olingo.odata2.core.commons.ContentType;
import org.apache.olingo.odata2.core.commons.Decoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated SAP S/4HANA system serving {@code API_PROD_ORDER_CONFIRMATION_2_SRV} (OData V2,
 * Apache Olingo) on its own HTTP port. It behaves like SAP Gateway where the hub depends on it:
 * Basic authentication, the CSRF token handshake (fetch with {@code X-CSRF-Token: Fetch}, then
 * token and session cookie on every POST, else 403 {@code X-CSRF-Token: Required}), SAP's error
 * JSON, server-assigned ConfirmationGroup/ConfirmationCount, and confirmations kept on disk.
 *
 * <p>For tests it injects faults ({@link #failNextPosts}, {@link #commitButDropResponseForNextPosts},
 * {@link #invalidateCsrfTokens}) and lets them read what it holds ({@link #confirmations},
 * {@link #totalYield}).
 */
public class ErpSimulator implements AutoCloseable {

    /** Path of the service root, as on an SAP system. */
    public static final String SERVICE_PATH = "/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV";
    /** Path of the material document service (goods movements, REFERENCE §1.4). */
    public static final String MATERIAL_DOCUMENT_PATH = "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV";
    /** Path of the maintenance notification service (REFERENCE §1.5). */
    public static final String MAINT_NOTIFICATION_PATH = "/sap/opu/odata/sap/API_MAINTNOTIFICATION";
    /** Path of the OAuth2 token endpoint (client credentials), as on an SAP ABAP system. */
    public static final String TOKEN_PATH = "/sap/bc/sec/oauth2/token";
    /** Name of the session cookie the CSRF token is bound to. */
    public static final String SESSION_COOKIE = "SAP_SESSIONID_MWR_100";

    private static final Logger log = LoggerFactory.getLogger(ErpSimulator.class);
    private static final String CSRF_HEADER = "X-CSRF-Token";

    private final ErpSimulatorProperties settings;
    private final ConfirmationBook book;
    private final SapErrorCallback errors = new SapErrorCallback();
    private final ConfirmationServiceFactory serviceFactory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CsrfSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger postsToFail = new AtomicInteger();
    private volatile int failStatus = 503;
    private final AtomicInteger responsesToDrop = new AtomicInteger();
    private final AtomicInteger postsReceived = new AtomicInteger();
    private final ReadFaults readFaults = new ReadFaults();
    private final AtomicInteger lateCommits = new AtomicInteger();
    private volatile Duration lateCommitDelay = Duration.ZERO;
    private final Set<String> forbiddenOrders = ConcurrentHashMap.newKeySet();
    /** SAP's processing time and the forbidden orders, applied per changeset inside a {@code $batch}. */
    private final BatchingProcessor.Changesets changesets = new BatchingProcessor.Changesets(forbiddenOrders);
    private final DocumentBook materialDocuments = new DocumentBook(4_900_000_001L, "%010d");
    private final DocumentBook notifications = new DocumentBook(10_000_001L, "%012d");
    private final Map<String, org.apache.olingo.odata2.api.ODataServiceFactory> services = new java.util.LinkedHashMap<>();
    private volatile double failShare;
    private volatile int failShareStatus = 500;
    private volatile double lockShare;
    private volatile double dropShare;
    private volatile Duration postDelay = Duration.ZERO;
    private volatile Duration csrfFetchDelay = Duration.ZERO;
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile Duration accessTokenLifetime = Duration.ofHours(1);
    private HttpServer server;
    private ExecutorService executor;

    /**
     * @param settings listener, credentials and token lifetime
     * @param orders the released orders it accepts confirmations for
     * @param stateDir where confirmations are kept ({@code ${millwright.data-dir}/sim/erp})
     */
    public ErpSimulator(ErpSimulatorProperties settings, List<ErpSimulatorProperties.ReleasedOrder> orders, Path stateDir) {
        this(settings, orders, stateDir, Clock.systemUTC());
    }

    ErpSimulator(ErpSimulatorProperties settings, List<ErpSimulatorProperties.ReleasedOrder> orders, Path stateDir,
            Clock clock) {
        if (settings.password() == null || settings.password().isBlank()) {
            throw new IllegalStateException("millwright.sim.erp.password is blank: set MILLWRIGHT_SIM_ERP_PASSWORD "
                    + "or disable the simulator with millwright.sim.erp.enabled=false");
        }
        this.settings = settings;
        this.clock = clock;
        this.book = new ConfirmationBook(orders, stateDir, clock);
        this.serviceFactory = new ConfirmationServiceFactory(book, settings.username(), errors, readFaults, changesets);
        Map<String, ErpSimulatorProperties.ReleasedOrder> released = new java.util.LinkedHashMap<>();
        orders.forEach(order -> released.put(order.orderId(), order));
        services.put(SERVICE_PATH, serviceFactory);
        services.put(MATERIAL_DOCUMENT_PATH, new DocumentServiceFactory(new MaterialDocumentEdmProvider(),
                () -> new MaterialDocumentProcessor(materialDocuments, released, settings.username(), changesets), errors));
        services.put(MAINT_NOTIFICATION_PATH, new DocumentServiceFactory(new MaintNotificationEdmProvider(),
                () -> new MaintNotificationProcessor(notifications, settings.username(), changesets), errors));
    }

    /** Opens the HTTP listener. */
    public synchronized ErpSimulator start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
        // 16: a relay that posts with up to 8 requests in flight is served in parallel, as by an SAP system's work processes
        executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "erp-simulator-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        services.forEach((path, factory) -> server.createContext(path, exchange -> handle(exchange, path, factory)));
        server.createContext(TOKEN_PATH, this::issueAccessToken);
        server.start();
        log.info("ERP simulator listening url={} orders={}", serviceUrl(), book.orderCount());
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
            log.info("ERP simulator stopped");
        }
    }

    /** The port it listens on (the real one when configured with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The service root URL, with a trailing slash. */
    public String serviceUrl() {
        return "http://" + settings.bindAddress() + ":" + port() + SERVICE_PATH + "/";
    }

    /** The root URL of another service of this system, e.g. {@link #MATERIAL_DOCUMENT_PATH}, with a trailing slash. */
    public String serviceUrl(String servicePath) {
        return "http://" + settings.bindAddress() + ":" + port() + servicePath + "/";
    }

    /** Material documents held (A_MaterialDocumentHeader with their items under {@code items}), oldest first, Olingo values. */
    public List<Map<String, Object>> materialDocuments() {
        return materialDocuments.all();
    }

    /** Maintenance notifications held, oldest first, Olingo values. */
    public List<Map<String, Object>> maintenanceNotifications() {
        return notifications.all();
    }

    /** The next {@code n} POSTs fail with {@code httpStatus} (e.g. 503) before anything is booked. */
    public void failNextPosts(int n, int httpStatus) {
        failStatus = httpStatus;
        postsToFail.set(n);
    }

    /**
     * The next {@code n} successful POSTs book the confirmation, then answer 504 instead of 201:
     * the caller cannot tell whether SAP committed (a timeout after commit). A {@code $batch} counts
     * as one POST: SAP processes all its changesets (books what it accepts), then the 202 is lost.
     */
    public void commitButDropResponseForNextPosts(int n) {
        responsesToDrop.set(n);
    }

    /**
     * The next {@code n} POSTs are processed only after {@code delay} and then booked: a client
     * with a shorter timeout gives up while SAP is still working, and SAP commits afterwards (the
     * uncertain window of issue 8, hole 4).
     */
    public void commitLateForNextPosts(int n, Duration delay) {
        lateCommitDelay = delay;
        lateCommits.set(n);
    }

    /** From now on each POST fails with {@code httpStatus} (e.g. 500) with this probability (0..1), before anything is booked. */
    public void failPostsAtRandom(double share, int httpStatus) {
        failShareStatus = httpStatus;
        failShare = share;
    }

    /**
     * From now on each POST is refused with this probability as SAP does when someone else holds
     * the order's lock: HTTP 400 with T100 message MC/601, nothing booked.
     */
    public void lockPostsAtRandom(double share) {
        lockShare = share;
    }

    /**
     * From now on each successful POST books, then answers 504 instead of 201 with this probability
     * (timeout after commit); a {@code $batch} is processed whole, then its 202 lost.
     */
    public void dropResponsesAtRandom(double share) {
        dropShare = share;
    }

    /**
     * Every POST takes this much longer before it is processed (SAP's own processing time per
     * entity); in a {@code $batch}, each changeset takes it, as SAP processes one changeset after another.
     */
    public void delayEachPost(Duration delay) {
        postDelay = delay;
        changesets.delay = delay;
    }

    /** Every CSRF token fetch takes this much longer (a busy SAP logon), so fetches of concurrent clients overlap. */
    public void delayCsrfFetches(Duration delay) {
        csrfFetchDelay = delay;
    }

    /** POSTs for this order are refused with 403 and SAP's error JSON, as for a user without the order's plant. */
    public void forbidOrder(String orderId) {
        forbiddenOrders.add(orderId);
    }

    /** POSTs for this order are accepted again (the user got the order's plant). */
    public void permitOrder(String orderId) {
        forbiddenOrders.remove(orderId);
    }

    /**
     * Books a confirmation as a person would in CO11N, past the hub: for a test, a variance between
     * what the plant counted and what SAP holds.
     */
    public void bookByHand(String orderId, String operation, BigDecimal yield, String text) {
        try {
            book.create(Map.of("OrderID", orderId, "OrderOperation", operation, "ConfirmationYieldQuantity", yield,
                    "ConfirmationText", text), "CO11N-USER");
        } catch (SapBusinessException e) {
            throw new IllegalArgumentException("SAP would refuse this booking: " + e.getMessage(), e);
        }
    }

    /** Reads ignore $filter and return every confirmation, as a system where the property is not filterable. */
    public void ignoreFilterOnReads(boolean ignore) {
        readFaults.ignoreFilter = ignore;
    }

    /** Reads return at most {@code pageSize} entities, the rest behind {@code __next}; 0 = no server paging. */
    public void pageReadsBy(int pageSize) {
        readFaults.pageSize = pageSize;
    }

    /**
     * The OAuth2 token endpoint: grant type {@code client_credentials}, the client (id = the
     * simulator's username, secret = its password) authenticated with HTTP Basic; answers a bearer
     * token valid for {@link #accessTokenLifetime}, or RFC 6749's {@code invalid_client}.
     */
    private void issueAccessToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (!"POST".equalsIgnoreCase(exchange.getRequestMethod()) || !form.contains("grant_type=client_credentials")) {
                byte[] body = "{\"error\":\"unsupported_grant_type\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            if (!basicCredentialsValid(exchange.getRequestHeaders())) {
                byte[] body = "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SAP\"");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String token = randomText(32);
            Duration lifetime = accessTokenLifetime;
            accessTokens.put(token, clock.instant().plus(lifetime));
            tokensIssued.incrementAndGet();
            byte[] body = ("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"expires_in\":"
                    + lifetime.toSeconds() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Access tokens issued from now on are valid this long ({@code expires_in}); one hour by default. */
    public void accessTokenLifetime(Duration lifetime) {
        accessTokenLifetime = lifetime;
    }

    /** Every access token issued so far becomes invalid, as when the authorization server revoked them. */
    public void revokeAccessTokens() {
        accessTokens.clear();
    }

    /** Access tokens issued by the token endpoint. */
    public int accessTokensIssued() {
        return tokensIssued.get();
    }

    /** Every CSRF token issued so far becomes invalid, as after an SAP session timeout. */
    public void invalidateCsrfTokens() {
        sessions.clear();
    }

    /** POST requests received on the entity set, accepted or not. */
    public int postsReceived() {
        return postsReceived.get();
    }

    /** All confirmations held, oldest first, with SAP's property names and plain Java values. */
    public List<Map<String, Object>> confirmations() {
        return book.all().stream().map(Confirmation::toPlainMap).toList();
    }

    /** Sum of confirmed yield of one order operation. */
    public BigDecimal totalYield(String orderId, String operation) {
        return book.all().stream()
                .filter(c -> c.orderId().equals(orderId) && c.orderOperation().equals(operation))
                .map(Confirmation::yieldQuantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private void handle(HttpExchange exchange, String servicePath, org.apache.olingo.odata2.api.ODataServiceFactory factory)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (!authenticated(exchange.getRequestHeaders())) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"SAP\"");
                sendText(exchange, 401, "Logon failed");
                return;
            }
            boolean modifying = !method.equals("GET") && !method.equals("HEAD");
            // a $batch: forbidden orders and the processing time apply per changeset (BatchingProcessor)
            boolean batch = exchange.getRequestURI().getRawPath().endsWith("/$batch");
            if (modifying) {
                postsReceived.incrementAndGet();
                if (postsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    log.debug("ERP simulator fails a POST on request status={}", failStatus);
                    sendText(exchange, failStatus, "Service unavailable (simulated)");
                    return;
                }
                if (failShare > 0 && random.nextDouble() < failShare) {
                    sendText(exchange, failShareStatus, "Internal server error (simulated)");
                    return;
                }
                if (!validCsrf(exchange.getRequestHeaders())) {
                    exchange.getResponseHeaders().set(CSRF_HEADER, "Required");
                    sendText(exchange, 403, "CSRF token validation failed");
                    return;
                }
                if (!forbiddenOrders.isEmpty() && !batch) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String text = new String(body, StandardCharsets.UTF_8);
                    for (String order : forbiddenOrders) {
                        if (text.contains("\"OrderID\":\"" + order + "\"")) {
                            sendForbidden(exchange, order);
                            return;
                        }
                    }
                    exchange.setStreams(new java.io.ByteArrayInputStream(body), null);
                }
                if (lockShare > 0 && random.nextDouble() < lockShare) {
                    sendLocked(exchange);
                    return;
                }
                if (!postDelay.isZero() && !batch) {
                    try {
                        Thread.sleep(postDelay.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (lateCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    log.debug("ERP simulator processes a POST late delay={}", lateCommitDelay);
                    try {
                        Thread.sleep(lateCommitDelay.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            } else if ("fetch".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(CSRF_HEADER))) {
                issueCsrfToken(exchange);
            }
            ODataResponse response = dispatch(exchange, method, servicePath, factory);
            // a created entity, or a $batch SAP processed (202): booked, then the answer is lost
            int processed = batch ? 202 : 201;
            if (modifying && response.getStatus().getStatusCode() == processed
                    && (responsesToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || (dropShare > 0 && random.nextDouble() < dropShare))) {
                log.debug("ERP simulator booked a confirmation (or a $batch) and drops the response");
                sendText(exchange, 504, "Gateway timeout (simulated, after commit)");
                return;
            }
            send(exchange, response, method.equals("HEAD"));
        } catch (RuntimeException e) {
            log.warn("ERP simulator failed on request method={} path={}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), e);
            sendText(exchange, 500, "Internal error (simulator): " + e.getMessage());
        }
    }

    private static void sendLocked(HttpExchange exchange) throws IOException {
        byte[] body = ("{\"error\":{\"code\":\"MC/601\",\"message\":{\"lang\":\"en\",\"value\":"
                + "\"Object requested is currently locked by user PLANNER01\"}}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(400, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void sendForbidden(HttpExchange exchange, String order) throws IOException {
        byte[] body = ("{\"error\":{\"code\":\"CO/004\",\"message\":{\"lang\":\"en\",\"value\":\"No authorization for order "
                + order + "\"}}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(403, body.length);
        exchange.getResponseBody().write(body);
    }

    /** HTTP Basic with the configured user, or a bearer token from the token endpoint that has not expired. */
    private boolean authenticated(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Instant expires = accessTokens.get(authorization.substring(7).trim());
            return expires != null && clock.instant().isBefore(expires);
        }
        return basicCredentialsValid(headers);
    }

    private boolean basicCredentialsValid(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] expected = (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] given = Base64.getDecoder().decode(authorization.substring(6).trim());
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void issueCsrfToken(HttpExchange exchange) {
        if (!csrfFetchDelay.isZero()) {
            try {
                Thread.sleep(csrfFetchDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Instant now = clock.instant();
        String sessionId = cookie(exchange.getRequestHeaders(), SESSION_COOKIE);
        CsrfSession session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null || session.expiresAt().isBefore(now)) {
            sessionId = randomText(24);
            session = new CsrfSession(randomText(18), now.plus(settings.csrfTokenLifetime()));
            sessions.put(sessionId, session);
        }
        exchange.getResponseHeaders().set(CSRF_HEADER, session.token());
        exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + sessionId + "; path=/; HttpOnly");
        exchange.getResponseHeaders().add("Set-Cookie", "sap-usercontext=sap-client=100; path=/");
    }

    private boolean validCsrf(Headers headers) {
        String token = headers.getFirst(CSRF_HEADER);
        String sessionId = cookie(headers, SESSION_COOKIE);
        CsrfSession session = sessionId == null ? null : sessions.get(sessionId);
        return token != null && session != null && !session.expiresAt().isBefore(clock.instant())
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), session.token().getBytes(StandardCharsets.UTF_8));
    }

    private static String cookie(Headers headers, String name) {
        List<String> values = headers.get("Cookie");
        if (values == null) {
            return null;
        }
        for (String header : values) {
            for (String pair : header.split(";")) {
                String[] parts = pair.trim().split("=", 2);
                if (parts.length == 2 && parts[0].equals(name)) {
                    return parts[1];
                }
            }
        }
        return null;
    }

    private String randomText(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** Hands the request to Olingo as its servlet would, without a servlet container. */
    private ODataResponse dispatch(HttpExchange exchange, String method, String servicePath,
            org.apache.olingo.odata2.api.ODataServiceFactory serviceFactory) throws IOException {
        URI requestUri = exchange.getRequestURI();
        String rawPath = requestUri.getRawPath();
        String odataPath = rawPath.substring(servicePath.length());
        while (odataPath.startsWith("/")) {
            odataPath = odataPath.substring(1);
        }
        List<PathSegment> segments = new ArrayList<>();
        if (!odataPath.isEmpty()) {
            for (String segment : odataPath.split("/", -1)) {
                segments.add(new ODataPathSegmentImpl(segment, null));
            }
        }
        String base = "http://" + settings.bindAddress() + ":" + port();
        PathInfoImpl pathInfo = new PathInfoImpl();
        pathInfo.setServiceRoot(URI.create(base + servicePath + "/"));
        pathInfo.setRequestUri(URI.create(base + requestUri));
        pathInfo.setPrecedingPathSegment(List.of());
        pathInfo.setODataPathSegment(segments);

        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        byte[] body = exchange.getRequestBody().readAllBytes();
        ODataHttpMethod odataMethod = method.equals("HEAD") ? ODataHttpMethod.GET : ODataHttpMethod.valueOf(method);
        try {
            ODataRequest request = ODataRequest.method(odataMethod)
                    .httpMethod(method)
                    .contentType(requestContentType(contentType))
                    .acceptHeaders(accept == null ? List.of() : splitAccept(accept))
                    .acceptableLanguages(List.of(Locale.ENGLISH))
                    .pathInfo(pathInfo)
                    .queryParameters(singleQueryParameters(requestUri.getRawQuery()))
                    .allQueryParameters(queryParameters(requestUri.getRawQuery()))
                    .requestHeaders(headers)
                    .body(new ByteArrayInputStream(body))
                    .build();
            ODataContextImpl context = new ODataContextImpl(request, serviceFactory);
            ODataService service = serviceFactory.createService(context);
            context.setService(service);
            service.getProcessor().setContext(context);
            return new ODataRequestHandler(serviceFactory, service, context).handle(request);
        } catch (org.apache.olingo.odata2.api.exception.ODataException | IllegalArgumentException e) {
            return errors.response(400, "/IWBEP/CM_MGW_RT/004", "Malformed request: " + e.getMessage(), "");
        }
    }

    /** As Olingo's servlet: no Content-Type means application/octet-stream (RFC 2616, 7.2.1). */
    private static String requestContentType(String contentType) throws ODataUnsupportedMediaTypeException {
        if (contentType == null || contentType.isEmpty()) {
            return ContentType.APPLICATION_OCTET_STREAM.toContentTypeString();
        }
        if (!ContentType.isParseable(contentType)) {
            throw new ODataUnsupportedMediaTypeException(
                    ODataUnsupportedMediaTypeException.NOT_SUPPORTED_CONTENT_TYPE.addContent(contentType));
        }
        return ContentType.create(contentType).toContentTypeString();
    }

    private static List<String> splitAccept(String accept) {
        List<String> values = new ArrayList<>();
        for (String value : accept.split(",")) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return values;
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            String decoded = Decoder.decode(pair);
            int equals = decoded.indexOf('=');
            String name = equals < 0 ? decoded : decoded.substring(0, equals);
            String value = equals < 0 ? "" : decoded.substring(equals + 1);
            parameters.computeIfAbsent(name, key -> new LinkedList<>()).add(value);
        }
        return parameters;
    }

    private static Map<String, String> singleQueryParameters(String rawQuery) {
        Map<String, String> single = new HashMap<>();
        queryParameters(rawQuery).forEach((name, values) -> single.put(name, values.get(0)));
        return single;
    }

    private static void send(HttpExchange exchange, ODataResponse response, boolean headOnly) throws IOException {
        Headers out = exchange.getResponseHeaders();
        for (String name : response.getHeaderNames()) {
            out.set(name, response.getHeader(name));
        }
        if (response.getIdLiteral() != null) {
            out.set("Location", response.getIdLiteral());
        }
        byte[] body = bytes(response.getEntity());
        int status = response.getStatus().getStatusCode();
        if (headOnly || body.length == 0) {
            out.remove("Content-Length");
            exchange.sendResponseHeaders(status, -1);
        } else {
            out.remove("Content-Length");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    private static byte[] bytes(Object entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity instanceof InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            }
        }
        if (entity instanceof byte[] bytes) {
            return bytes;
        }
        return entity.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(body);
        }
    }

    private record CsrfSession(String token, Instant expiresAt) {
    }
}
