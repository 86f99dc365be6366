package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
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
 * plant-sim-no-override.yaml) the client cannot connect, nothing arrives and health says so.
 * One route per connection file, whatever the number of nodes.
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
    @Import({PlantSimulator.class, OpcUaAdapterConfiguration.class, OpcUaIngestRoutes.class})
    static class TestApplication {

        // stands in for the telemetry intake (enrich), which takes List<SourceReading>
        @Bean
        RouteBuilder signalSink() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(Endpoints.TELEMETRY_INTAKE).routeId("test-telemetry-intake").to("mock:signals");
                }
            };
        }
    }

    @Autowired
    CamelContext camel;

    @Autowired
    PlantSimulator simulator;

    @Autowired
    OpcUaSubscriptionComponent component;

    @Autowired
    @Qualifier("opcua")
    HealthIndicator opcUaHealth;

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

        SourceReading orderId = first("plant-sim", NS + "Line1.Machine1.OrderId");
        assertThat(orderId.connection()).isEqualTo("plant-sim");
        assertThat(orderId.source()).isEqualTo("opcua://plant-sim");
        assertThat(orderId.value()).isEqualTo("1000011");
        assertThat(orderId.statusCode()).isZero();
        assertThat(orderId.sourceTime()).isBefore(Instant.now());
        assertThat(orderId.serverTime()).isBefore(Instant.now());
        assertThat(first("plant-sim", NS + "Line2.Machine3.OrderId").value()).isEqualTo("1000023");
        assertThat(first("plant-sim", NS + "Line2.Machine3.Operation").value()).isEqualTo("0010");
        assertThat(first("plant-sim", NS + "Line1.Machine2.GoodCount").value()).isInstanceOf(Long.class);
        assertThat(first("plant-sim", NS + "Line1.Machine2.Temperature").value()).isInstanceOf(Double.class);
        assertThat(first("plant-sim", NS + "Line1.Machine2.State").value())
                .isIn("running", "idle", "down", "setup");

        // control: same server, override-host off, the advertised plant-sim.invalid cannot be reached
        assertThat(nodeIds("plant-sim-no-override")).isEmpty();
        assertThat(component.statuses().get("plant-sim-no-override").isConnected()).isFalse();
        assertThat(component.statuses().get("plant-sim").isConnected()).isTrue();
        assertThat(component.statuses().get("plant-sim").created()).isEqualTo(42);
        Health health = opcUaHealth.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("plant-sim")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("connected", true)
                .containsEntry("itemsCreated", 42)
                .containsEntry("itemsFailed", 0);
        assertThat(health.getDetails().get("plant-sim-no-override")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("connected", false)
                .containsKey("lastError");
    }

    @Test
    void oneRoutePerConnection_withStableIdAndDescription() {
        Route route = camel.getRoute("ot-plant-sim-opcua-ingest");
        assertThat(route).isNotNull();
        assertThat(route.getEndpoint().getEndpointUri()).isEqualTo("opcua-subscription://plant-sim");
        assertThat(route.getDescription()).isEqualTo("OPC UA plant-sim (42 nodes) to direct:telemetry-intake");
        assertThat(camel.getRoute("ot-plant-sim-no-override-opcua-ingest")).isNotNull();
        assertThat(camel.getRoutes().stream().filter(r -> r.getRouteId().startsWith("ot-"))).hasSize(2);
    }

    @Test
    void producerRefused_withAClearMessage() {
        assertThatThrownBy(() -> camel.getEndpoint("opcua-subscription:plant-sim").createProducer())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("can only be consumed");
    }

    private Set<String> nodeIds(String connection) {
        return readingsOf(connection).stream().map(SourceReading::nodeId).collect(Collectors.toSet());
    }

    private SourceReading first(String connection, String nodeId) {
        return readingsOf(connection).stream().filter(r -> nodeId.equals(r.nodeId())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private List<SourceReading> readingsOf(String connection) {
        return signals.getExchanges().stream()
                .flatMap(e -> ((List<SourceReading>) e.getMessage().getBody(List.class)).stream())
                .filter(r -> connection.equals(r.connection()))
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
