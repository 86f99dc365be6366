package io.millwright.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * The running hub on a random HTTP port with its embedded Artemis on a free port, no Kafka (the
 * publish route's Kafka sender replaced by {@code mock:kafka}), no simulators and no OPC UA. Test
 * classes extending it share one Spring context (one start for all of them).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "millwright.security.admin-password=" + EmbeddedArtemisHubTest.ADMIN_PASSWORD,
        HubTestProperties.WITHOUT_PLANT,
        HubTestProperties.WITHOUT_KAFKA,
        "server.address=127.0.0.1"})
@UseAdviceWith
public abstract class EmbeddedArtemisHubTest {

    public static final String ADMIN_PASSWORD = "test-admin-Secret-9";

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("artemis-hub"));
        int artemisPort = FreePorts.next();
        registry.add("millwright.artemis.port", () -> artemisPort);
    }

    @LocalServerPort protected int port;
    @Autowired protected CamelContext camel;

    protected final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected MockEndpoint kafka;

    @BeforeEach
    void startCamelWithKafkaMocked() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "mes-event-publish",
                    route -> route.weaveByToUri("bean:kafkaEventSender*").replace().to("mock:kafka"));
            camel.start();
        }
        kafka = camel.getEndpoint("mock:kafka", MockEndpoint.class);
        kafka.reset();
    }

    /** A request as the admin, JSON body (or none). */
    protected HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", adminLogin())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static String adminLogin() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
