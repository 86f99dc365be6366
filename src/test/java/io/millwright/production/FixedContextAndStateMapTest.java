package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.testsupport.EventSchemas;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

/**
 * Issue #6, context and vocabulary without code: a machine that reports its state as numeric codes
 * and has no operation node, as many real machines do. Its state tag carries a value map and its
 * asset a fixed operation in the asset registry; the hub must publish machine states by name and
 * confirm its parts to the (simulated) ERP under the fixed operation. Brokers are mocks here; the
 * ERP is the real OData simulator.
 */
@CamelSpringBootTest
@SpringBootTest(properties = {
    "millwright.sim.opcua.enabled=false",
    "millwright.artemis.embedded=false",
    "millwright.kafka.embedded=false",
    "millwright.mes.create-destinations=false",
    "millwright.ot.enabled=false",
    "millwright.security.admin-password=test-admin-secret",
    "millwright.sim.erp.password=test-sim-secret",
    "millwright.sim.erp.released-orders[0].order-id=4711000",
    "millwright.sim.erp.released-orders[0].operations[0]=0020",
    "millwright.sim.erp.released-orders[0].unit=PC",
    "millwright.erp.confirmation-window=500ms",
    "millwright.erp.relay-interval=200ms",
    "millwright.erp.retry-backoff=200ms"
})
@UseAdviceWith
class FixedContextAndStateMapTest {

    static final String PRESS = "acme/springfield/pressing/line-3/press-7";
    static final String NODE = "ns=2;s=Press7/";

    // State as vendor codes; order from a node; no operation node, so the asset's fixed operation
    // applies. The asset's fixed order is overridden by the order node: a node's value wins.
    static final String REGISTRY = """
            assets:
              - path: %s
                connection: press-line
                order: "9999999"
                operation: "0020"
                tags:
                  - node: "ns=2;s=Press7/State"
                    role: state
                    states: { "1": running, "2": idle, "3": down, "4": setup }
                  - { node: "ns=2;s=Press7/Order", role: order }
                  - { node: "ns=2;s=Press7/Good", role: good-count, unit: PC }
            """.formatted(PRESS);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String dataDir = HubTestProperties.newDataDir("fixed-context");
        Path mappings = Path.of(dataDir, "mappings");
        try {
            Files.createDirectories(mappings);
            Files.writeString(mappings.resolve("assets.yaml"), REGISTRY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("millwright.data-dir", () -> dataDir);
        registry.add("millwright.mappings-dir", mappings::toString);
        int erpPort = FreePorts.next(); // once: the supplier is asked each time the property is read
        registry.add("millwright.sim.erp.port", () -> erpPort);
    }

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired DeadLetterStore deadLetters;
    @Autowired ErpSimulator erp;
    @Autowired ObjectMapper json;

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
    }

    @Test
    void numericStatesGiveNamedMachineStates_andCountsAreConfirmedUnderTheFixedOperation() {
        send("State", 2L);
        JsonNode first = ofType(awaitEvents(2), "io.millwright.machine-state.v1");
        assertThat(first.path("subject").asText()).isEqualTo(PRESS);
        assertThat(first.path("data").path("state").asText()).isEqualTo("IDLE");
        // the signal keeps the machine's own code; only the machine state is translated
        assertThat(ofType(eventsIn(kafka), "io.millwright.signal.v1").path("data").path("value").asLong()).isEqualTo(2);

        kafka.reset();
        send("Order", "4711000");
        send("Good", 100L); // the counter's baseline
        send("State", 1.0); // a code read as a double still means "1"
        JsonNode running = ofType(awaitEvents(4), "io.millwright.machine-state.v1");
        assertThat(running.path("data").path("state").asText()).isEqualTo("RUNNING");
        assertThat(running.path("data").path("previousState").asText()).isEqualTo("IDLE");
        assertThat(running.path("data").path("orderId").asText()).isEqualTo("4711000");
        assertThat(running.path("data").path("operation").asText()).isEqualTo("0020");

        kafka.reset();
        send("Good", 112L);
        JsonNode count = ofType(awaitEvents(2), "io.millwright.production-count.v1");
        assertThat(count.path("data").path("delta").asLong()).isEqualTo(12);
        assertThat(count.path("data").path("orderId").asText()).isEqualTo("4711000");
        assertThat(count.path("data").path("operation").asText()).isEqualTo("0020");

        // the ERP receives the 12 parts under the fixed operation, for the order the node reported
        await("confirmation at the ERP").atMost(Duration.ofSeconds(30))
                .until(() -> erp.totalYield("4711000", "0020").compareTo(BigDecimal.valueOf(12)) == 0);
        assertThat(erp.confirmations()).allSatisfy(c -> {
            assertThat(c.get("OrderID")).isEqualTo("4711000");
            assertThat(c.get("OrderOperation")).isEqualTo("0020");
        });
        // control: the asset's fixed order lost to the order node
        assertThat(erp.totalYield("9999999", "0020")).isEqualByComparingTo(BigDecimal.ZERO);
    }

    // An unknown code parks the machine-state reading alone, with a reason that says what to fix;
    // its signal is still published.
    @Test
    void unknownStateCodeIsDeadLetteredWithAssetTagValueAndKnownCodes() {
        send("State", 7L);

        DeadLetter parked = await().atMost(Duration.ofSeconds(30)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                        .filter(d -> d.payload() != null && d.payload().contains("Press7/State")).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains(PRESS).contains(NODE + "State").contains("'7'").contains("[1, 2, 3, 4]");
        assertThat(parked.routeId()).isEqualTo(ProductionInterpreter.ROUTE_ID);
        List<JsonNode> events = awaitEvents(1);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("io.millwright.signal.v1");
    }

    private void send(String node, Object value) {
        Instant now = Instant.now();
        producer.sendBody(Endpoints.TELEMETRY_INTAKE,
                List.of(new SourceReading("press-line", "opcua://press-line", NODE + node, value, 0L, now, now)));
    }

    private List<JsonNode> awaitEvents(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsIn(kafka).size() >= count);
        List<JsonNode> events = eventsIn(kafka);
        events.forEach(EventSchemas::assertValid);
        return events;
    }

    private List<JsonNode> eventsIn(MockEndpoint sender) {
        List<JsonNode> events = new ArrayList<>();
        for (var exchange : sender.getReceivedExchanges()) {
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

    private static JsonNode ofType(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " event among " + events));
    }
}
