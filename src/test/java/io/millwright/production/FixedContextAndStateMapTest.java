package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.mes.OutgoingEvent;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.testsupport.EventSchemas;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.HubWithoutBrokers;
import io.millwright.enrich.AssetRegistry;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue #6, context and vocabulary without code: a machine that reports its state as numeric codes
 * and has no operation node, as many real machines do, read over OPC UA from an in-process Milo
 * server through the hub's own adapter. Its state tag carries a value map and its asset a fixed
 * operation in the asset registry; the hub must publish machine states by name and confirm its
 * parts to the (simulated) ERP under the fixed operation. Brokers are mocks; the ERP is the real
 * OData simulator.
 */
@CamelSpringBootTest
@HubWithoutBrokers
@SpringBootTest(properties = {
    "millwright.sim.erp.released-orders[0].order-id=4711000",
    "millwright.sim.erp.released-orders[0].operations[0]=0020",
    "millwright.sim.erp.released-orders[0].unit=PC",
    "millwright.erp.confirmation-window=500ms",
    "millwright.erp.relay-interval=200ms",
    "millwright.erp.retry-backoff=200ms"
})
@UseAdviceWith
class FixedContextAndStateMapTest {

    static final String PRESS_7 = "acme/springfield/pressing/line-3/press-7";
    static final String PRESS_8 = "acme/springfield/pressing/line-3/press-8";

    // Press 7: state as vendor codes; order from a node; no operation node, so the asset's fixed
    // operation applies. Its fixed order is overridden by the order node: a node's value wins.
    static final String REGISTRY = """
            assets:
              - path: %s
                connection: press-line
                order: "9999999"
                operation: "0020"
                tags:
                  - node: "%s"
                    role: state
                    states: { "1": running, "2": idle, "3": down, "4": setup }
                  - { node: "%s", role: order }
                  - { node: "%s", role: good-count, unit: PC }
              - path: %s
                connection: press-line
                tags:
                  - { node: "%s", role: state, states: { "1": running, "2": idle } }
            """.formatted(PRESS_7, node("Press7.State"), node("Press7.Order"), node("Press7.Good"),
                    PRESS_8, node("Press8.State"));

    static final PressOpcUaServer SERVER = startServer();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String dataDir = HubTestProperties.newDataDir("fixed-context");
        Path mappings = Path.of(dataDir, "mappings");
        Path adapters = Path.of(dataDir, "adapters");
        try {
            Files.createDirectories(mappings);
            Files.writeString(mappings.resolve("assets.yaml"), REGISTRY);
            HubTestProperties.copyShippedSchemas(mappings);
            Files.createDirectories(adapters.resolve("opcua"));
            Files.writeString(adapters.resolve("opcua/press-line.yaml"), """
                    endpoint: %s
                    sampling-interval: 50ms
                    publishing-interval: 100ms
                    queue-size: 10
                    nodes: ["%s", "%s", "%s", "%s"]
                    """.formatted(SERVER.endpointUrl(), node("Press7.State"), node("Press7.Order"), node("Press7.Good"),
                    node("Press8.State")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("millwright.data-dir", () -> dataDir);
        registry.add("millwright.mappings-dir", mappings::toString);
        registry.add("millwright.adapters-dir", adapters::toString);
        int erpPort = FreePorts.next(); // once: the supplier is asked each time the property is read
        registry.add("millwright.sim.erp.port", () -> erpPort);
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Autowired CamelContext camel;
    @Autowired DeadLetterStore deadLetters;
    @Autowired DeadLetterResubmitter resubmitter;
    @Autowired AssetRegistry registry;
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
    }

    @Test
    void numericStatesGiveNamedMachineStates_andCountsAreConfirmedUnderTheFixedOperation() {
        // the server's first values: state 2, order 4711000, counter 100 (the baseline)
        JsonNode idle = awaitEvent("io.millwright.machine-state.v1", PRESS_7, e -> true);
        assertThat(idle.path("data").path("state").asText()).isEqualTo("IDLE");
        // the signal keeps the machine's own code; only the machine state is translated
        assertThat(awaitEvent("io.millwright.signal.v1", PRESS_7, e -> e.path("data").path("tag").asText().endsWith("State"))
                .path("data").path("value").asLong()).isEqualTo(2);
        awaitEvent("io.millwright.signal.v1", PRESS_7, e -> e.path("data").path("tag").asText().endsWith("Good"));

        SERVER.set("Press7.State", 1);
        JsonNode running = awaitEvent("io.millwright.machine-state.v1", PRESS_7,
                e -> e.path("data").path("state").asText().equals("RUNNING"));
        assertThat(running.path("data").path("previousState").asText()).isEqualTo("IDLE");
        assertThat(running.path("data").path("orderId").asText()).isEqualTo("4711000");
        assertThat(running.path("data").path("operation").asText()).isEqualTo("0020");

        SERVER.set("Press7.Good", 112L);
        JsonNode count = awaitEvent("io.millwright.production-count.v1", PRESS_7, e -> true);
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
    // its signal is still published. The operator adds the code to the running registry (hot
    // reload) and resubmits: the parked reading now gives its machine state.
    @Test
    void unknownStateCodeIsDeadLetteredWithAssetTagValueAndKnownCodes_andResubmittedOnceTheMapHasIt() throws IOException {
        awaitEvent("io.millwright.machine-state.v1", PRESS_8, e -> e.path("data").path("state").asText().equals("RUNNING"));

        SERVER.set("Press8.State", 7);
        DeadLetter parked = await().atMost(Duration.ofSeconds(30)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 50).stream()
                        .filter(d -> d.payload() != null && d.payload().contains("Press8.State")).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains(PRESS_8).contains(node("Press8.State")).contains("'7'").contains("[1, 2]");
        assertThat(parked.routeId()).isEqualTo(ProductionInterpreter.ROUTE_ID);
        awaitEvent("io.millwright.signal.v1", PRESS_8, e -> e.path("data").path("value").asLong() == 7);
        // control: no machine state came of the unknown code
        assertThat(eventsIn(kafka)).filteredOn(e -> e.path("type").asText().equals("io.millwright.machine-state.v1")
                && e.path("subject").asText().equals(PRESS_8)).hasSize(1);

        Files.writeString(registry.file(), REGISTRY.replace("{ \"1\": running, \"2\": idle } }", "{ \"1\": running, \"2\": idle, \"7\": down } }"));
        await("the saved registry in use").atMost(Duration.ofSeconds(30))
                .until(() -> registry.stateMap("press-line", node("Press8.State")).containsKey("7"));
        resubmitter.resubmit(parked.id());
        JsonNode down = awaitEvent("io.millwright.machine-state.v1", PRESS_8, e -> e.path("data").path("state").asText().equals("DOWN"));
        assertThat(down.path("data").path("previousState").asText()).isEqualTo("RUNNING");
    }

    private static String node(String name) {
        return PressOpcUaServer.nodeId(name);
    }

    private static PressOpcUaServer startServer() {
        try {
            return new PressOpcUaServer(Map.of(
                    "Press7.State", 2, "Press7.Order", "4711000", "Press7.Good", 100L, "Press8.State", 1));
        } catch (Exception e) {
            throw new IllegalStateException("test OPC UA server did not start", e);
        }
    }

    /** The first event of a type for an asset that matches, waiting for it; every event is checked against its schema. */
    private JsonNode awaitEvent(String type, String subject, Predicate<JsonNode> matches) {
        return await(type + " of " + subject).atMost(Duration.ofSeconds(30)).until(() -> eventsIn(kafka).stream()
                .peek(EventSchemas::assertValid)
                .filter(e -> e.path("type").asText().equals(type) && e.path("subject").asText().equals(subject))
                .filter(matches).findFirst().orElse(null), e -> e != null);
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
}
