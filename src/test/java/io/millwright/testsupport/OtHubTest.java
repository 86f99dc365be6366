package io.millwright.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running hub for the OT management APIs (connection provisioning, Sparkplug commands), shared
 * by the test classes that extend it: HTTP on a random port with admin, integrator and viewer logins;
 * the OPC UA adapter on an empty connection folder of its own; the plant simulator's real Milo server
 * on a free port (the server an API-created connection connects to); the Sparkplug host on the
 * machine's Mosquitto with a host id of its own; Kafka and Artemis senders replaced by mocks.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "millwright.security.admin-password=" + OtHubTest.ADMIN_PASSWORD,
        "millwright.security.integrator-password=" + OtHubTest.INTEGRATOR_PASSWORD,
        "millwright.security.viewer-password=" + OtHubTest.VIEWER_PASSWORD,
        "millwright.sim.opcua.enabled=true",
        "millwright.sim.erp.enabled=false",
        "millwright.sim.erp.password=test-sim-secret",
        "millwright.artemis.embedded=false",
        // no Kafka, and none of its consumers (analytics, alerting, the ERP's two): they polled 127.0.0.1:1 about
        // 100 times a minute, and the cached context lives to the end of the run
        HubTestProperties.WITHOUT_KAFKA,
        "millwright.ot.enabled=true",
        "millwright.sparkplug.enabled=true",
        "server.address=127.0.0.1"})
@UseAdviceWith
// one context for every subclass (Spring's test context cache keeps it running to the end of the run): its
// Sparkplug host takes only its own group (group-ids), so it never answers another test's edge nodes
// (SparkplugHostTest counts the rebirth requests it gets); connections a test creates, it deletes
public abstract class OtHubTest {

    public static final String ADMIN_PASSWORD = "test-admin-Secret-7b";
    public static final String INTEGRATOR_PASSWORD = "test-integrator-Secret-7b";
    public static final String VIEWER_PASSWORD = "test-viewer-Secret-7b";
    protected static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    protected static final String HOST_ID = "mwtest-ot-host-" + RUN;
    /** The one Sparkplug group the hub's host takes ({@code group-ids}): edge nodes of other runs get no rebirth requests from it. */
    protected static final String SPARKPLUG_GROUP = "mwtest-ot-" + RUN;
    protected static final int SIM_PORT = FreePorts.next();
    /** The hub's adapters folder ({@code millwright.adapters-dir}); {@code opcua/} starts empty. */
    protected static final Path ADAPTERS = adapters();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        String broker = MqttTestBroker.ensureRunning();
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("ot-hub"));
        registry.add("millwright.adapters-dir", ADAPTERS::toString);
        registry.add("millwright.sim.opcua.port", () -> SIM_PORT);
        registry.add("millwright.sparkplug.broker-url", () -> broker);
        registry.add("millwright.sparkplug.host-id", () -> HOST_ID);
        registry.add("millwright.sparkplug.group-ids[0]", () -> SPARKPLUG_GROUP);
    }

    private static Path adapters() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "ot-adapters-");
            Files.createDirectories(dir.resolve("opcua"));
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort protected int port;
    @Autowired protected CamelContext camel;

    protected final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected MockEndpoint kafka;

    @BeforeEach
    void startCamelWithBrokersMocked() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "mes-event-publish", route -> {
                route.weaveByToUri("bean:kafkaEventSender*").replace().to("mock:kafka");
                route.weaveByToUri("bean:artemisEventSender*").replace().to("mock:artemis");
            });
            camel.start();
        }
        kafka = camel.getEndpoint("mock:kafka", MockEndpoint.class);
    }

    /** {@code opc.tcp://127.0.0.1:<port>/millwright}, the plant simulator's endpoint. */
    protected static String simEndpoint() {
        return "opc.tcp://127.0.0.1:" + SIM_PORT + "/millwright";
    }

    /** A request as {@code user} ("admin", "integrator", "viewer"), JSON body (or none). */
    protected HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        return send(user, method, path, "application/json", body);
    }

    protected HttpResponse<String> send(String user, String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", login(user))
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static String login(String user) {
        String password = switch (user) {
            case "admin" -> ADMIN_PASSWORD;
            case "integrator" -> INTEGRATOR_PASSWORD;
            case "viewer" -> VIEWER_PASSWORD;
            default -> throw new IllegalArgumentException(user);
        };
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
