package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.erp.ConfirmationTracking;
import io.millwright.erp.ConfirmationWindow;
import io.millwright.testsupport.EventSchemas;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.HubWithoutBrokers;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterStore;
import java.time.Duration;
import java.time.Instant;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The telemetry flow (normalize, enrich, production, publish) on the real mapping and asset
 * registry, with the brokers replaced by mocks: what reaches the MES, and what is dead-lettered
 * instead.
 */
@CamelSpringBootTest
@HubWithoutBrokers
@SpringBootTest(properties = {
    "millwright.sim.erp.enabled=false",
    "millwright.ot.enabled=false"
})
@UseAdviceWith
class TelemetryFlowRouteTest {

    private static final String NODE_PREFIX = "nsu=urn:millwright:sim:plant;s=";
    private static final String LINE1_MACHINE1 = "acme/springfield/assembly/line-1/machine-1";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("signal-flow"));
    }

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired DeadLetterStore deadLetters;
    @Autowired DeadLetterResubmitter resubmitter;
    @Autowired ObjectMapper json;
    @Autowired ConfirmationWindow window;
    @Autowired ConfirmationTracking tracking;
    @Autowired NamedParameterJdbcTemplate jdbc;

    MockEndpoint kafka;

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
        kafka.reset();
        camel.getEndpoint("mock:artemis", MockEndpoint.class).reset();
    }

    @Test
    void machineStateEventCarriesAssetPath_whenStateNodeIsMapped() throws Exception {
        send("Line1.Machine1.State", "setup", 0L);

        List<JsonNode> events = awaitEvents(2);
        JsonNode state = ofType(events, "io.millwright.machine-state.v1");
        assertThat(state.path("subject").asText()).isEqualTo(LINE1_MACHINE1);
        assertThat(state.path("specversion").asText()).isEqualTo("1.0");
        assertThat(state.path("source").asText()).isEqualTo("opcua://plant-sim");
        assertThat(state.path("data").path("state").asText()).isEqualTo("SETUP");
        assertThat(ofType(events, "io.millwright.signal.v1").path("data").path("quality").asText()).isEqualTo("GOOD");
        // Artemis gets the same events as Kafka
        assertThat(eventsIn(camel.getEndpoint("mock:artemis", MockEndpoint.class))).hasSize(2);
    }

    // Nothing is dropped silently: an unmapped node's value is parked with a reason that says what to fix.
    @Test
    void valueDeadLetteredWithReason_whenNodeMissingFromAssetRegistry() throws Exception {
        String unknown = "Line9.Machine9.Pressure";
        send(unknown, 4.2, 0L);

        DeadLetter parked = await().atMost(Duration.ofSeconds(10)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                        .filter(d -> d.payload() != null && d.payload().contains(unknown)).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains("assets.yaml").contains(NODE_PREFIX + unknown).contains("plant-sim");
        assertThat(parked.routeId()).isEqualTo("enrich-signal-asset-context");
        assertThat(parked.endpointUri()).isEqualTo(Endpoints.TELEMETRY_INTAKE);
        assertThat(parked.exceptionClass()).isEqualTo(UnknownAssetException.class.getName());
        // control: no event left the hub for it
        assertThat(eventsIn(kafka)).noneMatch(e -> e.toString().contains(unknown));

        // resubmitted as it arrived, it re-enters the flow; still unmapped, it is parked again, not lost
        resubmitter.resubmit(parked.id());
        assertThat(deadLetters.find(parked.id()).orElseThrow().status()).isEqualTo(DeadLetter.Status.RESUBMITTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                .anyMatch(d -> d.id() > parked.id() && d.payload().contains(unknown) && d.reason().equals(parked.reason())));
    }

    // OPC 10000-4 7.39: a Bad value must not be used. It travels as a BAD signal, and changes no state.
    @Test
    void badValuePublishedAsBadSignalAndChangesNoState_whenStatusCodeIsBad() throws Exception {
        send("Line2.Machine2.State", "idle", 0L);
        awaitEvents(2);
        kafka.reset();

        send("Line2.Machine2.State", "down", 0x80740000L); // Bad_TypeMismatch
        List<JsonNode> events = awaitEvents(1);
        JsonNode signal = ofType(events, "io.millwright.signal.v1");
        assertThat(signal.path("data").path("quality").asText()).isEqualTo("BAD");
        assertThat(signal.path("data").has("value")).isFalse();
        assertThat(signal.path("data").path("statusCode").asText()).isEqualTo("0x80740000");

        kafka.reset();
        send("Line2.Machine2.State", "running", 0L);
        JsonNode change = ofType(awaitEvents(2), "io.millwright.machine-state.v1");
        // the BAD 'down' was not taken: the machine goes from idle straight to running
        assertThat(change.path("data").path("previousState").asText()).isEqualTo("IDLE");
        assertThat(change.path("data").path("state").asText()).isEqualTo("RUNNING");
    }

    // A counter's increase becomes a production-count event for the order operation running on the machine.
    @Test
    void productionCountEventCarriesIncreaseAndOrder_whenCounterGrows() throws Exception {
        send("Line2.Machine3.OrderId", "1000023", 0L);
        send("Line2.Machine3.Operation", "0010", 0L);
        send("Line2.Machine3.GoodCount", 40L, 0L); // first reading: the baseline, nothing counted
        awaitEvents(3);
        assertThat(eventsIn(kafka)).noneMatch(e -> e.toString().contains("production-count"));
        kafka.reset();

        send("Line2.Machine3.GoodCount", 43L, 0L);
        JsonNode count = ofType(awaitEvents(2), "io.millwright.production-count.v1");
        assertThat(count.path("subject").asText()).isEqualTo("acme/springfield/assembly/line-2/machine-3");
        assertThat(count.path("data").path("delta").asLong()).isEqualTo(3);
        assertThat(count.path("data").path("total").asLong()).isEqualTo(43);
        assertThat(count.path("data").path("orderId").asText()).isEqualTo("1000023");
        assertThat(count.path("data").path("operation").asText()).isEqualTo("0010");
        assertThat(count.path("data").path("unit").asText()).isEqualTo("PC");
    }

    // One bad reading must not hold back its batch: the unknown node is parked, the others published.
    @Test
    void otherReadingsOfBatchPublished_whenOneNodeIsUnknown() throws Exception {
        producer.sendBody(Endpoints.TELEMETRY_INTAKE, List.of(
                reading("Line1.Machine2.Temperature", 41.5, 0L),
                reading("Line9.Machine9.Unknown", 1L, 0L),
                reading("Line1.Machine2.Vibration", 2.25, 0L)));

        List<JsonNode> events = awaitEvents(2);
        assertThat(events).extracting(e -> e.path("data").path("tag").asText())
                .containsExactly(NODE_PREFIX + "Line1.Machine2.Temperature", NODE_PREFIX + "Line1.Machine2.Vibration");
        assertThat(events.get(0).path("data").path("value").asDouble()).isEqualTo(41.5);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                .anyMatch(d -> d.payload().contains("Line9.Machine9.Unknown")));
    }

    // Issue #5: a count that cannot be attributed parks that count only; the reading's signal and
    // the machine-state event still reach the MES, and a resubmit never counts a part twice.
    @Test
    void countWithoutOrderParkedAlone_andSignalAndStateStillPublished() throws Exception {
        send("Line1.Machine3.GoodCount", 5L, 0L); // baseline: needs no order
        awaitEvents(1);
        kafka.reset();

        producer.sendBody(Endpoints.TELEMETRY_INTAKE, List.of(
                reading("Line1.Machine3.State", "running", 0L),
                reading("Line1.Machine3.GoodCount", 9L, 0L)));

        List<JsonNode> events = awaitEvents(3);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactlyInAnyOrder(
                "io.millwright.signal.v1", "io.millwright.signal.v1", "io.millwright.machine-state.v1");
        DeadLetter parked = await().atMost(Duration.ofSeconds(10)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                        .filter(d -> d.payload().contains("Line1.Machine3.GoodCount")).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains("acme/springfield/assembly/line-1/machine-3").contains("no production order");
        assertThat(parked.routeId()).isEqualTo("production-interpret");
        assertThat(parked.endpointUri()).isEqualTo(Endpoints.PRODUCTION_INTERPRET);
        assertThat(eventsIn(kafka)).noneMatch(e -> e.path("type").asText().equals("io.millwright.production-count.v1"));

        // the machine reports its order; the parked count, resubmitted, books the 4 parts once
        send("Line1.Machine3.OrderId", "1000013", 0L);
        send("Line1.Machine3.Operation", "0010", 0L);
        awaitEvents(5);
        kafka.reset();
        resubmitter.resubmit(parked.id());
        JsonNode count = ofType(awaitEvents(1), "io.millwright.production-count.v1");
        assertThat(count.path("data").path("delta").asLong()).isEqualTo(4);
        assertThat(count.path("data").path("orderId").asText()).isEqualTo("1000013");

        // control: the next reading counts only what is new since the 9 booked by the resubmit
        kafka.reset();
        send("Line1.Machine3.GoodCount", 10L, 0L);
        assertThat(ofType(awaitEvents(2), "io.millwright.production-count.v1").path("data").path("delta").asLong()).isEqualTo(1);
    }

    // Issue 8, lineage: a confirmation's tracking record names the readings it was counted from, by the
    // id of their signal event, their OPC UA node and value, and the production-count event published.
    @Test
    void trackingRecordShowsSourceEventNodeAndValue_ofEachIncrement() throws Exception {
        send("Line2.Machine1.OrderId", "1000099", 0L);
        send("Line2.Machine1.Operation", "0010", 0L);
        send("Line2.Machine1.GoodCount", 100L, 0L); // baseline
        awaitEvents(3);
        kafka.reset();

        send("Line2.Machine1.GoodCount", 107L, 0L);
        List<JsonNode> events = awaitEvents(2);
        JsonNode signal = ofType(events, "io.millwright.signal.v1");
        JsonNode count = ofType(events, "io.millwright.production-count.v1");
        assertThat(count.path("correlationid").asText()).isEqualTo(signal.path("id").asText());

        window.close();
        String key = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForList(
                "SELECT confirmation_key FROM production_count_ledger WHERE count_event_id = :id AND confirmation_key IS NOT NULL",
                new MapSqlParameterSource("id", count.path("id").asText()), String.class), keys -> keys.size() == 1).get(0);

        // GET /api/tracking/{key} answers this map as JSON
        JsonNode record = json.valueToTree(tracking.get(key).orElseThrow());
        assertThat(record.path("orderId").asText()).isEqualTo("1000099");
        JsonNode lineage = record.path("lineage");
        assertThat(lineage).hasSize(1);
        JsonNode increment = lineage.get(0);
        assertThat(increment.path("delta").asLong()).isEqualTo(7);
        assertThat(increment.path("sourceEventId").asText()).isEqualTo(signal.path("id").asText());
        assertThat(increment.path("productionCountEventId").asText()).isEqualTo(count.path("id").asText());
        assertThat(increment.path("source").asText()).isEqualTo("opcua://plant-sim");
        assertThat(increment.path("nodeId").asText()).isEqualTo(NODE_PREFIX + "Line2.Machine1.GoodCount");
        assertThat(increment.path("value").asText()).isEqualTo("107");
    }

    private void send(String node, Object value, long statusCode) {
        producer.sendBody(Endpoints.TELEMETRY_INTAKE, List.of(reading(node, value, statusCode)));
    }

    private static SourceReading reading(String node, Object value, long statusCode) {
        Instant now = Instant.now();
        return new SourceReading("plant-sim", "opcua://plant-sim", NODE_PREFIX + node, value, statusCode, now, now);
    }

    private List<JsonNode> awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsIn(kafka).size() >= count);
        List<JsonNode> events = eventsIn(kafka);
        // every published event honours its contract in mappings/schemas
        events.forEach(EventSchemas::assertValid);
        return events;
    }

    /** The events a mocked sender received, each exchange a batch, as the JSON that would go on the wire. */
    private List<JsonNode> eventsIn(MockEndpoint sender) {
        List<JsonNode> events = new ArrayList<>();
        for (var exchange : sender.getReceivedExchanges()) {
            for (Object event : exchange.getMessage().getBody(List.class)) {
                try {
                    events.add(json.readTree(((OutgoingEvent) event).json()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return events;
    }

    private static JsonNode ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event among " + events));
    }

}
