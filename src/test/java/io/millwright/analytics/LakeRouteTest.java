package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The lake's side route in the hub: records as they come off Kafka (the consumer replaced by a
 * direct endpoint) become Parquet rows, which the query API answers over HTTP with the admin login;
 * an event the lake cannot take is dead-lettered with its reason and resubmitted.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "millwright.sim.opcua.enabled=false",
    "millwright.sim.erp.enabled=false",
    "millwright.artemis.embedded=false",
    "millwright.kafka.embedded=false",
    "millwright.mes.create-destinations=false",
    "millwright.ot.enabled=false",
    "management.health.jms.enabled=false",
    "millwright.security.admin-password=" + LakeRouteTest.ADMIN_PASSWORD,
    "millwright.sim.erp.password=test-sim-secret",
    "millwright.analytics.lake.roll-interval=1s",
    "millwright.analytics.lake.roll-check=200ms",
    "server.address=127.0.0.1"
})
@UseAdviceWith
class LakeRouteTest {

    static final String ADMIN_PASSWORD = "test-admin-Secret-10";
    private static final String KAFKA_IN = "direct:test-lake-kafka";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("lake-route"));
    }

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired ParquetLake lake;
    @Autowired DeadLetterStore deadLetters;
    @Autowired DeadLetterResubmitter resubmitter;
    @Autowired ObjectMapper json;
    @LocalServerPort int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void replaceKafkaConsumer() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, LakeRoute.CONSUME_ROUTE_ID, route -> route.replaceFromWith(KAFKA_IN));
            camel.start();
        }
    }

    @Test
    void recordsBecomeParquetRowsAnsweredByTheQueryApi_badRecordDeadLetteredAndResubmitted() throws Exception {
        long before = lake.writtenEvents();
        for (int i = 1; i <= 20; i++) {
            String event = """
                    {"specversion":"1.0","id":"route-%d","type":"io.millwright.production-count.v1","source":"opcua://plant-sim",
                     "subject":"acme/route-test/machine-1","time":"2026-11-30T09:00:%02dZ",
                     "data":{"orderId":"1000011","operation":"0010","counter":"GOOD","delta":%d,"total":%d,"unit":"PC"}}"""
                    .formatted(i, i, i, i * 10);
            producer.sendBody(KAFKA_IN, event.getBytes(StandardCharsets.UTF_8));
        }
        // a record whose type is no Millwright event type: parked with the field named, not lost
        String foreign = """
                {"specversion":"1.0","id":"route-foreign","type":"com.example.thing","source":"x","time":"2026-11-30T09:00:00Z","data":{}}""";
        producer.sendBody(KAFKA_IN, foreign.getBytes(StandardCharsets.UTF_8));

        // the time-based roll (1 s) writes the file without any more traffic
        await().atMost(Duration.ofSeconds(30)).until(() -> lake.writtenEvents() - before >= 20);

        HttpResponse<String> answer = post("{\"sql\":\"SELECT count(*) AS n, sum(delta) AS parts, max(total) AS last_total"
                + " FROM production_count WHERE subject = 'acme/route-test/machine-1'\"}", true);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(answer.body());
        assertThat(result.path("rows").get(0).get(0).asLong()).isEqualTo(20);
        assertThat(result.path("rows").get(0).get(1).asLong()).isEqualTo(210);
        assertThat(result.path("rows").get(0).get(2).asLong()).isEqualTo(200);
        assertThat(result.path("columns").get(1).path("name").asText()).isEqualTo("parts");

        // without a login the POST is refused: 403 by the CSRF check (no Authorization header), before the 401 of the login
        assertThat(post("{\"sql\":\"SELECT 1\"}", false).statusCode()).as("no login, no query").isIn(401, 403);
        HttpResponse<String> refused = post("{\"sql\":\"DELETE FROM production_count\"}", true);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("SELECT");

        DeadLetter parked = await().atMost(Duration.ofSeconds(30)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                        .filter(d -> d.payload() != null && d.payload().contains("route-foreign")).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains("data lake").contains("'type'").contains("com.example.thing");
        assertThat(parked.routeId()).isEqualTo(LakeRoute.APPEND_ROUTE_ID);
        assertThat(parked.endpointUri()).isEqualTo(Endpoints.ANALYTICS_LAKE);
        // resubmitted as it was, still foreign: parked again, never in the lake
        resubmitter.resubmit(parked.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                .anyMatch(d -> d.id() > parked.id() && d.payload().contains("route-foreign")));

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .header("Authorization", basic()).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode lakeHealth = json.readTree(health.body()).path("components").path("analyticsLake");
        assertThat(lakeHealth.path("status").asText()).isEqualTo("UP");
        assertThat(lakeHealth.path("details").path("writtenEvents").asLong()).isGreaterThanOrEqualTo(20);
    }

    private HttpResponse<String> post(String body, boolean login) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/analytics/query"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (login) {
            request.header("Authorization", basic());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
