package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.DiscoveredNode;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Browse discovery against a server with a folder tree of 1,000 variables (10 lines x 10 machines
 * x 10 tags) beside variables the patterns leave out: every one found is subscribed and mapped to
 * its asset by two rules of {@code mappings/asset-rules.yaml} on the browse path, a variable added
 * later is picked up and a removed one dropped on the next browse.
 */
class OpcUaBrowseDiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private final AtomicReference<List<DiscoveredNode>> lastDiscovered = new AtomicReference<>(List.of());
    /** How many readings had arrived when the discovered nodes were first handed over; -1 before. */
    private final java.util.concurrent.atomic.AtomicInteger readingsBeforeFirstDiscovery = new java.util.concurrent.atomic.AtomicInteger(-1);
    private CamelContext camel;
    private TestServer server;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thousandVariablesFoundAndSubscribed_excludedLeftOut_addedPickedUp_removedDropped() throws Exception {
        server = new TestServer(1_000);
        for (int line = 1; line <= 10; line++) {
            for (int machine = 1; machine <= 10; machine++) {
                for (int tag = 1; tag <= 10; tag++) {
                    server.namespace().addBrowsable("Plant1/Line" + line + "/M" + machine + "/Tag" + tag, (double) tag);
                }
                server.namespace().addBrowsable("Plant1/Line" + line + "/M" + machine + "/Setpoint", 1.0);
            }
        }
        server.namespace().addBrowsable("Plant1/Diagnostics/Heartbeat", 0.0);
        server.namespace().addBrowsable("Elsewhere/Line1/M1/Tag1", 0.0);

        OpcUaConnectionStatus status = start(new OpcUaConnection.Browse("Plant1", List.of("Plant1/**"),
                List.of("**/Diagnostics/**", "**/Setpoint"), Duration.ofSeconds(2),
                new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(200), 2, true, Deadband.NONE)));

        await().atMost(WAIT).until(() -> status.discoveredItems() == 1_000);
        await().atMost(WAIT).until(() -> distinctNodes() == 1_000);
        Map<String, String> paths = discoveredPaths();
        assertThat(paths).hasSize(1_000)
                .containsEntry(TestNamespace.nodeId("Plant1/Line3/M7/Tag5"), "Plant1/Line3/M7/Tag5");
        assertThat(paths.values()).allMatch(p -> p.matches("Plant1/Line\\d+/M\\d+/Tag\\d+"));
        assertThat(valueOf("Plant1/Line3/M7/Tag5")).isEqualTo(5.0);
        assertThat(status.details()).containsEntry("discoveredItems", 1_000).containsEntry("discoveredFailed", 0);
        // the registry hears of the browse paths before the first value, so no first value finds no asset
        assertThat(readingsBeforeFirstDiscovery.get()).isZero();

        // two rules on the browse path map every discovered variable, as the hub's registry does it
        io.millwright.enrich.AssetRegistry registry = registryWithTwoRules();
        for (DiscoveredNode node : lastDiscovered.get()) {
            assertThat(registry.resolve(node.connection(), node.nodeId(), node.browsePath()))
                    .as("asset of %s", node.browsePath()).isPresent();
        }
        assertThat(registry.unmappedNodes()).isEmpty();
        assertThat(registry.find("plant1", TestNamespace.nodeId("Plant1/Line3/M7/Tag1")).orElseThrow())
                .satisfies(tag -> {
                    assertThat(tag.assetPath()).isEqualTo("acme/plant1/line-3/m7");
                    assertThat(tag.role()).isEqualTo(io.millwright.enrich.TagRole.GOOD_COUNT);
                });
        assertThat(registry.find("plant1", TestNamespace.nodeId("Plant1/Line3/M7/Tag5")).orElseThrow())
                .satisfies(tag -> {
                    assertThat(tag.assetPath()).isEqualTo("acme/plant1/line-3/m7");
                    assertThat(tag.role()).isEqualTo(io.millwright.enrich.TagRole.MEASUREMENT);
                    assertThat(tag.name()).isEqualTo("Tag5");
                });

        server.namespace().addBrowsable("Plant1/Line11/M1/Tag1", 42.0);
        server.namespace().removeBrowsable("Plant1/Line1/M1/Tag1");

        await().atMost(WAIT).until(() -> discoveredPaths().containsKey(TestNamespace.nodeId("Plant1/Line11/M1/Tag1"))
                && !discoveredPaths().containsKey(TestNamespace.nodeId("Plant1/Line1/M1/Tag1")));
        await().atMost(WAIT).until(() -> Double.valueOf(42.0).equals(valueOf("Plant1/Line11/M1/Tag1")));
        assertThat(status.discoveredItems()).isEqualTo(1_000);
        assertThat(discoveredPaths()).hasSize(1_000);
    }

    @Test
    void dataTypeFilter_keepsOnlyVariablesOfTheListedTypes() throws Exception {
        server = new TestServer(10);
        for (int machine = 1; machine <= 3; machine++) {
            server.namespace().addBrowsable("Cell/M" + machine + "/Temperature", 20.5);
            server.namespace().addBrowsable("Cell/M" + machine + "/PartsMade", 7L);
            server.namespace().addBrowsable("Cell/M" + machine + "/Recipe", "R-17");
        }

        OpcUaConnectionStatus status = start(new OpcUaConnection.Browse("Cell", List.of(), List.of(), Duration.ofSeconds(2),
                new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(200), 2, true, Deadband.NONE),
                List.of("Double", "Int64")));

        await().atMost(WAIT).until(() -> status.discoveredItems() == 6);
        assertThat(discoveredPaths().values()).containsExactlyInAnyOrder(
                "Cell/M1/Temperature", "Cell/M2/Temperature", "Cell/M3/Temperature",
                "Cell/M1/PartsMade", "Cell/M2/PartsMade", "Cell/M3/PartsMade");

        // what Hawtio's JMX tab shows for the connection
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name = OpcUaConnectionMBeans.name("plant1");
        await().atMost(WAIT).until(() -> Integer.valueOf(6).equals(jmx.getAttribute(name, "MonitoredItems")));
        assertThat(jmx.getAttribute(name, "Connected")).isEqualTo(true);
        assertThat(jmx.getAttribute(name, "Endpoint")).isEqualTo(server.endpointUrl());
    }

    /** An empty asset registry beside two rules: Tag1 of each machine counts parts, every other tag is measured. */
    private static io.millwright.enrich.AssetRegistry registryWithTwoRules() throws java.io.IOException {
        Path mappings = Path.of(io.millwright.testsupport.HubTestProperties.newDataDir("browse-rules"));
        java.nio.file.Files.writeString(mappings.resolve("assets.yaml"), "assets: []\n");
        java.nio.file.Files.writeString(mappings.resolve("asset-rules.yaml"), """
                rules:
                  - connection: plant1
                    browse-path: "Plant1/Line{line}/M{machine}/Tag1"
                    asset: acme/plant1/line-{line}/m{machine}
                    role: good-count
                    unit: PC
                  - connection: plant1
                    browse-path: "Plant1/Line{line}/M{machine}/{tag}"
                    asset: acme/plant1/line-{line}/m{machine}
                    role: measurement
                    name: "{tag}"
                """);
        return new io.millwright.enrich.AssetRegistry(mappings.resolve("assets.yaml"));
    }

    private long distinctNodes() {
        return readings.stream().map(SourceReading::nodeId).distinct().count();
    }

    private Object valueOf(String path) {
        String nodeId = TestNamespace.nodeId(path);
        return readings.stream().filter(r -> nodeId.equals(r.nodeId())).map(SourceReading::value).reduce((a, b) -> b).orElse(null);
    }

    private Map<String, String> discoveredPaths() {
        return lastDiscovered.get().stream().collect(Collectors.toMap(DiscoveredNode::nodeId, DiscoveredNode::browsePath));
    }

    private OpcUaConnectionStatus start(OpcUaConnection.Browse browse) throws Exception {
        OpcUaConnection connection = new OpcUaConnection("plant1", Path.of("adapters/opcua/plant1.yaml"), true,
                server.endpointUrl(), false, List.of("None"), null, null, HandoffSettings.DEFAULTS, List.of(),
                OpcUaConnection.SecuritySettings.DEFAULTS, browse);
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(List.of(connection), name -> null,
                new SimpleMeterRegistry());
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:plant1").process(e -> readings.addAll(e.getMessage().getBody(List.class)));
                from(Endpoints.NODES_DISCOVERED).process(e -> {
                    readingsBeforeFirstDiscovery.compareAndSet(-1, readings.size());
                    lastDiscovered.set(List.copyOf(e.getMessage().getBody(List.class)));
                });
            }
        });
        camel.start();
        return component.statuses().get("plant1");
    }
}
