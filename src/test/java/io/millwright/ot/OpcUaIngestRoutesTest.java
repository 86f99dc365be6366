package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shipped plant-sim connection file against the real simulator, which advertises a host name
 * nobody can resolve: with override-host the values arrive, without it (the control file
 * plant-sim-no-override.yaml) the client cannot connect and nothing arrives.
 */
@CamelSpringBootTest
@SpringBootTest(classes = OpcUaIngestRoutesTest.TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class OpcUaIngestRoutesTest {

    private static final Path WORK = createTempDirectory();
    private static final int PORT = freePort();
    private static final String NS = "nsu=urn:millwright:sim:plant;s=";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path opcua = Files.createDirectories(WORK.resolve("adapters/opcua"));
        Files.copy(Path.of("adapters/opcua/plant-sim.yaml"), opcua.resolve("plant-sim.yaml"));
        Files.writeString(opcua.resolve("plant-sim-no-override.yaml"), """
                endpoint: opc.tcp://127.0.0.1:${millwright.sim.opcua.port}/millwright
                override-host: false
                nodes:
                  - nsu=urn:millwright:sim:plant;s=Line1.Machine1.OrderId
                """);
        registry.add("millwright.data-dir", () -> WORK.resolve("data").toString());
        registry.add("millwright.adapters-dir", () -> WORK.resolve("adapters").toString());
        registry.add("millwright.sim.opcua.port", () -> PORT);
        registry.add("millwright.sim.opcua.advertised-host", () -> "plant-sim.invalid");
        registry.add("millwright.sim.opcua.tick", () -> "50ms");
        registry.add("millwright.sim.opcua.seed", () -> 7);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    @EnableConfigurationProperties({PlantSimulatorProperties.class, OtProperties.class})
    @Import({PlantSimulator.class, OpcUaConnectionFilesConfiguration.class, OpcUaIngestRoutes.class})
    static class TestApplication {

        // stands in for the lead's normalise -> enrich -> publish route
        @Bean
        RouteBuilder signalSink() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(OpcUaIngestRoutes.SIGNAL_ENDPOINT).routeId("test-ot-opcua-signal-sink").to("mock:signals");
                }
            };
        }
    }

    @Autowired
    CamelContext camel;

    @Autowired
    PlantSimulator simulator;

    @EndpointInject("mock:signals")
    MockEndpoint signals;

    @Test
    void signalArrivesForEveryNode_whenServerAdvertisesUnresolvableHost_andOverrideHostIsOn() {
        Set<String> expected = simulator.machines().stream()
                .flatMap(m -> List.of("State", "GoodCount", "ScrapCount", "Temperature", "Vibration", "OrderId", "Operation")
                        .stream()
                        .map(tag -> NS + "Line" + m.line() + ".Machine" + m.machine() + "." + tag))
                .collect(Collectors.toSet());
        assertThat(expected).hasSize(42);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodeIds("plant-sim")).containsAll(expected));

        Map<String, Object> orderId = first("plant-sim", NS + "Line1.Machine1.OrderId");
        assertThat(orderId).containsExactly(
                Map.entry("connection", "plant-sim"),
                Map.entry("endpoint", "opc.tcp://127.0.0.1:" + PORT + "/millwright"),
                Map.entry("nodeId", NS + "Line1.Machine1.OrderId"),
                Map.entry("value", "1000011"),
                Map.entry("statusCode", 0L),
                Map.entry("sourceTime", orderId.get("sourceTime")),
                Map.entry("serverTime", orderId.get("serverTime")));
        assertThat(Instant.parse((String) orderId.get("sourceTime"))).isBefore(Instant.now());
        assertThat(Instant.parse((String) orderId.get("serverTime"))).isBefore(Instant.now());
        assertThat(first("plant-sim", NS + "Line2.Machine3.OrderId").get("value")).isEqualTo("1000023");
        assertThat(first("plant-sim", NS + "Line2.Machine3.Operation").get("value")).isEqualTo("0010");
        assertThat(first("plant-sim", NS + "Line1.Machine2.GoodCount").get("value")).isInstanceOf(Long.class);
        assertThat(first("plant-sim", NS + "Line1.Machine2.Temperature").get("value")).isInstanceOf(Double.class);
        assertThat(first("plant-sim", NS + "Line1.Machine2.State").get("value"))
                .isIn("running", "idle", "down", "setup");

        // control: same server, override-host off, the advertised plant-sim.invalid cannot be reached
        assertThat(nodeIds("plant-sim-no-override")).isEmpty();
    }

    @Test
    void routesHaveStableIdsAndDescriptions() {
        Route state = camel.getRoute("ot-plant-sim-opcua-ingest-line1-machine1-state");
        assertThat(state).isNotNull();
        assertThat(state.getDescription())
                .isEqualTo("OPC UA " + NS + "Line1.Machine1.State from plant-sim to direct:ot-opcua-signal");
        assertThat(camel.getRoute("ot-plant-sim-opcua-ingest-line2-machine3-good-count")).isNotNull();
        assertThat(camel.getRoute("ot-plant-sim-no-override-opcua-ingest-line1-machine1-order-id")).isNotNull();
        assertThat(camel.getRoutes().stream().filter(r -> r.getRouteId().startsWith("ot-plant-sim-opcua-ingest-")))
                .hasSize(42);
    }

    // REFERENCE §3.2 open issue: camel-milo 4.17 does not pass samplingInterval or
    // requestedPublishingInterval to Milo. Vibration changes every 50 ms tick; this prints how
    // many values per second actually arrive.
    @Test
    void printsDeliveredRate_forAValueChangingEveryTick() {
        String node = NS + "Line2.Machine2.Temperature";
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeIds("plant-sim").contains(node));
        long start = System.nanoTime();
        int before = values("plant-sim", node).size();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        int after = values("plant-sim", node).size();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("camel-milo delivered %.2f values/s for %s (tick 50 ms = 20 changes/s)%n",
                (after - before) / seconds, node);
        assertThat(after).isGreaterThan(before);
    }

    private Set<String> nodeIds(String connection) {
        return signalsOf(connection).stream().map(s -> (String) s.get("nodeId")).collect(Collectors.toSet());
    }

    private List<Map<String, Object>> values(String connection, String nodeId) {
        return signalsOf(connection).stream().filter(s -> nodeId.equals(s.get("nodeId"))).toList();
    }

    private Map<String, Object> first(String connection, String nodeId) {
        return values(connection, nodeId).get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> signalsOf(String connection) {
        return signals.getExchanges().stream()
                .map(Exchange::getMessage)
                .map(m -> (Map<String, Object>) m.getBody(Map.class))
                .filter(s -> connection.equals(s.get("connection")))
                .toList();
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("millwright-ot-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
