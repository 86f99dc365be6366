package io.millwright.testsupport;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.mes.OutgoingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One hub context for the MQTT-borne sources (Sparkplug B host, plain MQTT JSON sources) against
 * the machine's Mosquitto, shared by the test classes that extend it (one Spring start): unique
 * group, host id, source ids and topics per run; asset rules for them in a copy of the mappings;
 * Kafka and Artemis replaced by mocks whose events are read as the wire JSON.
 */
@CamelSpringBootTest
@SpringBootTest(properties = {
    HubTestProperties.WITHOUT_PLANT,
    HubTestProperties.WITHOUT_ARTEMIS,
    HubTestProperties.WITHOUT_KAFKA,
    "millwright.sparkplug.enabled=true",
    "millwright.security.admin-password=test-admin-secret",
    "millwright.sim.erp.password=test-sim-secret"
})
@UseAdviceWith
public abstract class MqttHubTest {

    protected static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    /** Sparkplug group of this run. */
    protected static final String GROUP = "mwtest-" + RUN;
    protected static final String HOST_ID = "mwtest-host-" + RUN;
    /** MQTT 5 source (built-in mapping) and MQTT 3.1.1 source (JSONata mapping) of this run. */
    protected static final String SOURCE_V5 = "m5-" + RUN;
    protected static final String SOURCE_V3 = "m3-" + RUN;
    protected static final String TOPIC_ROOT = "mwtest/" + RUN;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        String broker = MqttTestBroker.ensureRunning();
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("mqtt-hub"));
        registry.add("millwright.sparkplug.broker-url", () -> broker);
        registry.add("millwright.sparkplug.host-id", () -> HOST_ID);
        // only this run's group: the host answers no other run's edge nodes on the shared broker (rebirth requests)
        registry.add("millwright.sparkplug.group-ids[0]", () -> GROUP);
        registry.add("millwright.mappings-dir", MqttHubTest::mappingsWithRules);
        registry.add("millwright.mqtt.sources." + SOURCE_V5 + ".broker-url", () -> broker);
        registry.add("millwright.mqtt.sources." + SOURCE_V5 + ".version", () -> "5");
        registry.add("millwright.mqtt.sources." + SOURCE_V5 + ".topics[0]", () -> TOPIC_ROOT + "/v5/+/+/telemetry");
        registry.add("millwright.mqtt.sources." + SOURCE_V3 + ".broker-url", () -> broker);
        registry.add("millwright.mqtt.sources." + SOURCE_V3 + ".version", () -> "3.1.1");
        registry.add("millwright.mqtt.sources." + SOURCE_V3 + ".topics[0]", () -> TOPIC_ROOT + "/v3/#");
        registry.add("millwright.mqtt.sources." + SOURCE_V3 + ".mapping", () -> "transform/mqtt-test.jsonata");
        // edge analytics on the MQTT 5 source's tags under .../deadband/ and .../rollup/
        registry.add("millwright.edge.filters[0].source", () -> "mqtt://" + SOURCE_V5);
        registry.add("millwright.edge.filters[0].tags", () -> "**/deadband/*");
        registry.add("millwright.edge.filters[0].deadband", () -> "1.0");
        registry.add("millwright.edge.rollups[0].source", () -> "mqtt://" + SOURCE_V5);
        registry.add("millwright.edge.rollups[0].tags", () -> "**/rollup/*");
        registry.add("millwright.edge.rollups[0].window", () -> "1s");
    }

    /** The shipped asset registry, plus Sparkplug and MQTT rules for this run. */
    static String mappingsWithRules() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "mqtt-mappings-");
            Files.copy(Path.of("mappings", "assets.yaml"), dir.resolve("assets.yaml"));
            HubTestProperties.copyShippedSchemas(dir);
            String sp = "acme/springfield/sparkplug/{line}/{machine}";
            String mq = "acme/springfield/mqtt/{line}/{machine}";
            Files.writeString(dir.resolve("source-assets.yaml"), """
                    rules:
                      - { source: sparkplug, match: "%1$s/{line}/{machine}/Production/GoodCount", asset: "%2$s", role: good-count, unit: PC, name: good-count }
                      - { source: sparkplug, match: "%1$s/{line}/{machine}/Production/Order", asset: "%2$s", role: order }
                      - { source: sparkplug, match: "%1$s/{line}/{machine}/Production/Operation", asset: "%2$s", role: operation }
                      - { source: sparkplug, match: "%1$s/{line}/{machine}/Process/{name}", asset: "%2$s", role: measurement, unit: CEL, name: "{name}" }
                      - { source: mqtt, match: "%3$s/%4$s/v5/{line}/{machine}/telemetry/temperature", asset: "%5$s", role: measurement, unit: CEL, name: temperature }
                      - { source: mqtt, match: "%3$s/%4$s/v5/{line}/{machine}/telemetry/{name...}", asset: "%5$s", role: measurement, name: "{name}" }
                      - { source: mqtt, match: "%6$s/%4$s/v3/{line}/{machine}/{name}", asset: "%5$s", role: measurement, name: "{name}" }
                    """.formatted(GROUP, sp, SOURCE_V5, TOPIC_ROOT, mq, SOURCE_V3));
            Files.createDirectories(dir.resolve("transform"));
            // a gateway that sends {"machine": "...", "readings": [{"name", "v", "ts"}]} on <root>/v3/<line>
            Files.writeString(dir.resolve("transform/mqtt-test.jsonata"), """
                    (
                      $m := payload.machine;
                      payload.readings.{ "tag": $m & "/" & name, "value": v, "time": ts ? ts : $$.receivedTime }
                    )
                    """);
            return dir.toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired protected CamelContext camel;
    @Autowired protected ObjectMapper json;

    protected MockEndpoint kafka;

    @BeforeEach
    void replaceBrokersWithMocks() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "mes-event-publish", route -> {
                route.weaveByToUri("bean:kafkaEventSender*").replace().to("mock:kafka");
                route.weaveByToUri("bean:artemisEventSender*").replace().to("mock:artemis");
            });
            camel.start();
        }
        kafka = camel.getEndpoint("mock:kafka", MockEndpoint.class);
    }

    /** At least {@code count} published events that match, each checked against its JSON Schema. */
    protected List<JsonNode> awaitEvents(Predicate<JsonNode> which, int count) {
        List<JsonNode> found = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> events().stream().filter(which).toList(), l -> l.size() >= count);
        found.forEach(EventSchemas::assertValid);
        return found;
    }

    protected List<JsonNode> eventsOf(String type) {
        return events().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    /** Every event the mocked Kafka sender got so far, as the JSON that would go on the wire. */
    protected List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (var exchange : List.copyOf(kafka.getReceivedExchanges())) {
            for (Object event : exchange.getMessage().getBody(List.class)) {
                try {
                    events.add(json.readTree(((OutgoingEvent) event).json()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return events;
    }
}
