package io.millwright.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.FileSystemUtils;

/**
 * The shipped SCM, CRM and PLM connectors (mappings/connectors/) against stub systems nobody in the
 * hub wrote (the JDK's HTTP server): the request body each receives, its authentication (OAuth2
 * client credentials with the token cached, basic, API key), retries of transient failures,
 * refusals and exhausted retries dead-lettered with the reason, and a resubmission delivered once
 * with the same idempotency key. The Kafka consumers are replaced by direct endpoints.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectorRoutesTest {

    private static final String SCM_SECRET = "scm-Secret-4711";
    private static final String CRM_PASSWORD = "crm-Pw-0815";
    private static final String PLM_KEY = "plm-Key-42";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path mappings;

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scriptedStatus = new ArrayDeque<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<Exchange> deadLetters = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private ProducerTemplate producer;
    private Connectors connectors;
    private ConnectorReloader reloader;

    record Request(String method, String path, Map<String, List<String>> headers, JsonNode body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @BeforeEach
    void startStubAndShippedFiles() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/token", exchange -> {
            tokenRequests.incrementAndGet();
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String basic = exchange.getRequestHeaders().getFirst("Authorization");
            boolean clientOk = form.contains("grant_type=client_credentials")
                    && basic != null && basic.equals("Basic " + base64("millwright-scm:" + SCM_SECRET));
            byte[] answer = (clientOk ? "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
                    : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(clientOk ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/api", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body.length == 0 ? null : JSON.readTree(body)));
            Integer status;
            synchronized (scriptedStatus) {
                status = scriptedStatus.poll();
            }
            int code = status == null ? 200 : status;
            byte[] answer = code == 400 ? "{\"error\":\"unknown material\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.sendResponseHeaders(code, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
        FileSystemUtils.copyRecursively(Path.of("mappings/connectors"), mappings.resolve("connectors"));
        FileSystemUtils.copyRecursively(Path.of("mappings/lookups"), mappings.resolve("lookups"));
        FileSystemUtils.copyRecursively(Path.of("mappings/transform/connectors"), mappings.resolve("transform/connectors"));
    }

    @AfterEach
    void stop() throws Exception {
        if (reloader != null) {
            reloader.close();
        }
        if (camel != null) {
            camel.close();
        }
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private MockEnvironment environment() {
        return new MockEnvironment()
                .withProperty("MILLWRIGHT_SCM_ENABLED", "true")
                .withProperty("MILLWRIGHT_SCM_URL", base() + "/api/replenishment-signals")
                .withProperty("MILLWRIGHT_SCM_TOKEN_URL", base() + "/oauth/token")
                .withProperty("MILLWRIGHT_SCM_CLIENT_ID", "millwright-scm")
                .withProperty("MILLWRIGHT_SCM_CLIENT_SECRET", SCM_SECRET)
                .withProperty("MILLWRIGHT_CRM_ENABLED", "true")
                .withProperty("MILLWRIGHT_CRM_URL", base() + "/api/customer-orders/status")
                .withProperty("MILLWRIGHT_CRM_PASSWORD", CRM_PASSWORD)
                .withProperty("MILLWRIGHT_PLM_ENABLED", "true")
                .withProperty("MILLWRIGHT_PLM_URL", base() + "/api/nonconformances")
                .withProperty("MILLWRIGHT_PLM_API_KEY", PLM_KEY)
                .withProperty("FAST_URL", base() + "/api/fast");
    }

    /** The connectors of the mappings folder in a Camel context; their Kafka consumers fed by direct:test-<name>. */
    private void start() throws Exception {
        connectors = new Connectors(new ConnectorFiles(mappings, environment()), JSON, new SimpleMeterRegistry());
        camel = new DefaultCamelContext();
        camel.addRoutes(new ConnectorRoutes(connectors.running(), c -> "direct:test-" + c.name()));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Endpoints.DEAD_LETTER).routeId("test-dead-letters").process(exchange -> deadLetters.add(exchange.copy()));
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    private static byte[] productionCount(String id, String orderId, String counter, int delta) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.millwright.production-count.v1\","
                + "\"source\":\"millwright://production\",\"subject\":\"acme/springfield/assembly/line-1/machine-1\","
                + "\"time\":\"2026-11-30T08:15:00Z\",\"correlationid\":\"corr-" + id + "\",\"data\":{\"orderId\":\""
                + orderId + "\",\"operation\":\"0010\",\"counter\":\"" + counter + "\",\"delta\":" + delta
                + ",\"total\":120,\"unit\":\"PC\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void scmReceivesTheConsumedComponents_withACachedOAuth2Token() throws Exception {
        start();

        producer.sendBody("direct:test-scm-replenishment", productionCount("ev-1", "1000011", "GOOD", 3));
        producer.sendBody("direct:test-scm-replenishment", productionCount("ev-2", "1000013", "SCRAP", 2));

        List<Request> received = requestsTo("/api/replenishment-signals");
        assertThat(received).hasSize(2);
        Request first = received.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.header("Authorization")).isEqualTo("Bearer tok-1");
        assertThat(first.header("Idempotency-Key")).isEqualTo("ev-1");
        assertThat(first.header("X-Correlation-Id")).isEqualTo("corr-ev-1");
        assertThat(first.header("X-Source-System")).isEqualTo("millwright");
        assertThat(first.header("kafka.TOPIC")).isNull();
        assertThat(first.body().path("product").asText()).isEqualTo("FG-PUMP-100");
        assertThat(first.body().path("productionOrder").asText()).isEqualTo("1000011");
        assertThat(first.body().path("items")).hasSize(2);
        assertThat(first.body().path("items").get(0).path("material").asText()).isEqualTo("RM-HOUSING-10");
        assertThat(first.body().path("items").get(0).path("quantity").asInt()).isEqualTo(3);
        assertThat(first.body().path("items").get(1).path("material").asText()).isEqualTo("RM-SCREW-M4");
        assertThat(first.body().path("items").get(1).path("quantity").asInt()).isEqualTo(18); // 6 per part x 3
        assertThat(received.get(1).body().path("items").get(1).path("quantity").asInt()).isEqualTo(16); // 8 x 2
        assertThat(tokenRequests).as("one token for both requests").hasValue(1);
        assertThat(status("scm-replenishment")).containsEntry("delivered", 2L).containsEntry("deadLettered", 0L);
    }

    @Test
    void crmReceivesTheCustomerOrderStatus_withBasicAuth() throws Exception {
        start();

        producer.sendBody("direct:test-crm-order-status", ("{\"id\":\"ev-9\",\"type\":\"io.millwright.order-completed.v1\","
                + "\"subject\":\"acme/springfield/assembly/line-2/machine-1\",\"time\":\"2026-11-30T10:00:00Z\","
                + "\"data\":{\"orderId\":\"1000021\",\"operation\":\"0010\",\"origin\":\"dispatch\","
                + "\"endTime\":\"2026-11-30T09:59:30Z\"}}").getBytes(StandardCharsets.UTF_8));

        Request request = requestsTo("/api/customer-orders/status").get(0);
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.header("Authorization")).isEqualTo("Basic " + base64("millwright:" + CRM_PASSWORD));
        assertThat(request.body().path("salesOrder").asText()).isEqualTo("SO-4713");
        assertThat(request.body().path("customer").asText()).isEqualTo("C-1003");
        assertThat(request.body().path("status").asText()).isEqualTo("PRODUCED");
        assertThat(request.body().path("completedAt").asText()).isEqualTo("2026-11-30T09:59:30Z");
    }

    @Test
    void plmReceivesANonconformanceForEachQualityEvent_withTheOrdersPartNumberAndReason() throws Exception {
        start();

        // control: a scrap production-count (what the connector took before #9's quality events) is skipped
        producer.sendBody("direct:test-plm-nonconformance", productionCount("ev-3", "1000023", "SCRAP", 2));
        producer.sendBody("direct:test-plm-nonconformance", qualityEvent("ev-4", "1000023", 2, "BURR"));

        List<Request> received = requestsTo("/api/nonconformances");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).header("X-API-Key")).isEqualTo(PLM_KEY);
        assertThat(received.get(0).body().path("partNumber").asText()).isEqualTo("FG-VALVE-20");
        assertThat(received.get(0).body().path("quantity").asInt()).isEqualTo(2);
        assertThat(received.get(0).body().path("defectCode").asText()).isEqualTo("BURR");
        assertThat(received.get(0).body().path("reference").asText()).isEqualTo("ev-4");
        assertThat(received.get(0).body().path("countReference").asText()).isEqualTo("count-ev-4");
        assertThat(status("plm-nonconformance")).containsEntry("skipped", 1L).containsEntry("delivered", 1L);
    }

    private static byte[] qualityEvent(String id, String orderId, int quantity, String reason) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.millwright.quality.v1\","
                + "\"source\":\"millwright://production\",\"subject\":\"acme/springfield/assembly/line-1/machine-1\","
                + "\"time\":\"2026-11-30T08:15:00Z\",\"correlationid\":\"corr-" + id + "\",\"data\":{\"kind\":\"SCRAP\","
                + "\"quantity\":" + quantity + ",\"unit\":\"PC\",\"reasonCode\":\"" + reason + "\",\"orderId\":\"" + orderId
                + "\",\"operation\":\"0010\",\"countEventId\":\"count-" + id + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void transientFailuresRetried_andDeliveredOnce() throws Exception {
        writeFastConnector(3);
        start();
        scriptedStatus.addAll(List.of(503, 429));

        producer.sendBody("direct:test-fast", productionCount("ev-5", "1000011", "GOOD", 1));

        assertThat(requestsTo("/api/fast")).hasSize(3);
        assertThat(requestsTo("/api/fast")).extracting(r -> r.header("Idempotency-Key")).containsOnly("ev-5");
        assertThat(deadLetters).isEmpty();
        assertThat(status("fast")).containsEntry("delivered", 1L).containsEntry("retried", 2L);
    }

    @Test
    void refusalDeadLetteredAtOnceWithTheTargetsReason_andResubmittedOnce(CapturedOutput output) throws Exception {
        writeFastConnector(5);
        start();
        scriptedStatus.add(400);

        producer.sendBody("direct:test-fast", productionCount("ev-6", "1000011", "GOOD", 4));

        assertThat(requestsTo("/api/fast")).as("a refusal is not retried").hasSize(1);
        assertThat(deadLetters).hasSize(1);
        Exchange parked = deadLetters.get(0);
        String reason = parked.getMessage().getHeader(MessageHeaders.DEAD_LETTER_REASON, String.class);
        assertThat(reason).isEqualTo("connector fast: HTTP 400 from the target: {\"error\":\"unknown material\"}");
        String resubmitTo = parked.getProperty(MessageHeaders.RESUBMIT_ENDPOINT, String.class);
        assertThat(resubmitTo).isEqualTo("direct:connector-fast-deliver");

        // the operator fixed the material master and resubmits the dead letter as it was parked
        producer.sendBody(resubmitTo, parked.getMessage().getBody(byte[].class));

        assertThat(requestsTo("/api/fast")).hasSize(2);
        Request resubmitted = requestsTo("/api/fast").get(1);
        assertThat(resubmitted.header("Idempotency-Key")).isEqualTo("ev-6");
        assertThat(resubmitted.body().path("quantity").asInt()).isEqualTo(4);
        assertThat(status("fast")).containsEntry("delivered", 1L).containsEntry("deadLettered", 1L);
        assertThat(output.getAll()).doesNotContain(SCM_SECRET, CRM_PASSWORD, PLM_KEY);
    }

    @Test
    void exhaustedRetriesDeadLettered_afterTheConfiguredAttempts() throws Exception {
        writeFastConnector(3);
        start();
        scriptedStatus.addAll(List.of(503, 503, 503, 503));

        producer.sendBody("direct:test-fast", productionCount("ev-7", "1000011", "GOOD", 1));

        assertThat(requestsTo("/api/fast")).hasSize(3);
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).getMessage().getHeader(MessageHeaders.DEAD_LETTER_REASON, String.class))
                .isEqualTo("connector fast: HTTP 503 from the target");
        assertThat(JSON.readTree(deadLetters.get(0).getMessage().getBody(byte[].class)).path("id").asText())
                .as("the event is parked as it arrived").isEqualTo("ev-7");
    }

    @Test
    void mappingThatGivesNothingDeadLettered_namingTheMapping() throws Exception {
        writeFastConnector(3);
        Files.writeString(mappings.resolve("transform/connectors/fast.jsonata"), "data.nothingHere");
        start();

        producer.sendBody("direct:test-fast", productionCount("ev-8", "1000011", "GOOD", 1));

        assertThat(requestsTo("/api/fast")).isEmpty();
        assertThat(deadLetters.get(0).getMessage().getHeader(MessageHeaders.DEAD_LETTER_REASON, String.class))
                .contains("mapping").contains("fast.jsonata").contains("gave no value for event ev-8");
    }

    @Test
    void everyConnectorShownWithItsCounts_inTheStatus() throws Exception {
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> connectors.describe().size() == 3);
        assertThat(connectors.describe()).extracting(m -> m.get("name"))
                .containsExactlyInAnyOrder("crm-order-status", "plm-nonconformance", "scm-replenishment");
        assertThat(connectors.describe()).allSatisfy(m -> assertThat(m).containsEntry("state", "running"));
        assertThat(camel.getRoute("connector-plm-nonconformance-deliver").getProperties()).containsEntry("outcome", "quality");
    }

    // The review's ask: a connector file edited while the hub runs applies without a restart, and a bad
    // save keeps the running version (routes, counts) and says which file, key and reason.
    @Test
    void editedConnectorFileAppliesWithoutRestart_andABadSaveKeepsTheRunningVersion() throws Exception {
        writeFastConnector(3);
        start();
        reloader = new ConnectorReloader(camel, connectors, c -> "direct:test-" + c.name(), Duration.ofMillis(50));
        reloader.start();
        Path file = mappings.resolve("connectors/fast.yaml");
        assertThat(status("fast")).containsEntry("version", 1).containsEntry("target", "POST " + base() + "/api/fast");

        long saved = System.nanoTime();
        Files.writeString(file, Files.readString(file).replace("url: ${FAST_URL}", "url: ${FAST_URL}-v2"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> status("fast").get("version").equals(2));
        System.out.printf("figure: connector file save to new version running = %d ms (debounce 50ms)%n",
                (System.nanoTime() - saved) / 1_000_000);
        assertThat(status("fast")).containsEntry("target", "POST " + base() + "/api/fast-v2");
        producer.sendBody("direct:test-fast", productionCount("ev-10", "1000011", "GOOD", 1));
        assertThat(requestsTo("/api/fast-v2")).hasSize(1);
        assertThat(requestsTo("/api/fast")).as("control: the old version no longer runs").isEmpty();

        Files.writeString(file, Files.readString(file).replace("retry:", "retries:"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("fast").containsKey("rejectedChange"));
        assertThat((String) status("fast").get("rejectedChange")).contains("file=" + file).contains("key=retries")
                .contains("unknown key");
        assertThat(status("fast")).containsEntry("version", 2).containsEntry("state", "running");
        producer.sendBody("direct:test-fast", productionCount("ev-11", "1000011", "GOOD", 1));
        assertThat(requestsTo("/api/fast-v2")).as("the running version still delivers").hasSize(2);
        assertThat(connectors.rejected()).containsKey(file);
    }

    @Test
    void addedConnectorFileStartsIt_andADeletedOneStopsIt() throws Exception {
        start();
        reloader = new ConnectorReloader(camel, connectors, c -> "direct:test-" + c.name(), Duration.ofMillis(50));
        reloader.start();
        assertThat(camel.getRoute("connector-fast-deliver")).isNull();

        writeFastConnector(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRoute("connector-fast-deliver") != null);
        assertThat(status("fast")).containsEntry("state", "running").containsEntry("version", 1);
        producer.sendBody("direct:test-fast", productionCount("ev-12", "1000011", "GOOD", 5));
        assertThat(requestsTo("/api/fast")).singleElement().satisfies(r -> assertThat(r.body().path("quantity").asInt()).isEqualTo(5));

        Files.delete(mappings.resolve("connectors/fast.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRoute("connector-fast-deliver") == null);
        assertThat(camel.getRoute("connector-fast-consume")).isNull();
        assertThat(connectors.describe()).extracting(m -> m.get("name")).doesNotContain("fast");
        // control: the shipped connectors were not touched
        assertThat(camel.getRoute("connector-crm-order-status-deliver")).isNotNull();
    }

    private Map<String, Object> status(String name) {
        return connectors.describe().stream().filter(m -> name.equals(m.get("name"))).findFirst().orElseThrow();
    }

    /** A test connector without auth and with millisecond retries. */
    private void writeFastConnector(int attempts) throws IOException {
        Files.writeString(mappings.resolve("transform/connectors/fast.jsonata"),
                "{ \"order\": data.orderId, \"quantity\": data.delta }");
        Files.writeString(mappings.resolve("connectors/fast.yaml"), """
                system: SCM
                on: [production-count]
                mapping: transform/connectors/fast.jsonata
                request:
                  url: ${FAST_URL}
                retry:
                  attempts: %d
                  delay: 10ms
                  max-delay: 50ms
                """.formatted(attempts));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
