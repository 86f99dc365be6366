package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.DataGap;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that goes away for 10 s and comes back empty (a restart): the outage is visible as it
 * happens (Bad_NoCommunication for every node), once afterwards (one data gap with start and end),
 * and the values flow again, re-read at once.
 */
class OpcUaReconnectTest {

    private static final Logger log = LoggerFactory.getLogger(OpcUaReconnectTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private final Queue<DataGap> gaps = new ConcurrentLinkedQueue<>();
    private final Queue<List<Object>> gapNodes = new ConcurrentLinkedQueue<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final java.util.concurrent.atomic.AtomicInteger discoveryHandovers = new java.util.concurrent.atomic.AtomicInteger();
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
    void serverDownFor10s_badAtTheDrop_oneDataGapWithStartAndEnd_valuesFlowAgain() throws Exception {
        server = new TestServer(1_000);
        server.namespace().addPushed("Gap.GoodCount", 100L);
        server.namespace().addPushed("Gap.State", "running");
        OpcUaSubscriptionComponent component = start(server.endpointUrl(), "Gap.GoodCount", "Gap.State");
        OpcUaConnectionStatus status = component.statuses().get("gap");
        await().atMost(WAIT).until(() -> valuesOf("Gap.GoodCount").contains(100L) && valuesOf("Gap.State").contains("running"));

        Instant down = Instant.now();
        server.close();
        await().atMost(WAIT).until(() -> badOf("Gap.GoodCount") == 1 && badOf("Gap.State") == 1);
        Instant badSeen = Instant.now();
        assertThat(status.isConnected()).isFalse();
        assertThat(gaps).isEmpty();
        SourceReading bad = readings.stream().filter(r -> r.statusCode() == StatusCodes.Bad_NoCommunication).findFirst().orElseThrow();
        assertThat(bad.value()).isNull();
        assertThat(bad.serverTime()).isBetween(down, badSeen);

        // the outage itself: the server stays away for OUTAGE, then comes back without its sessions
        await().pollDelay(Duration.between(Instant.now(), down.plus(OUTAGE))).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
        Instant restarted = Instant.now();
        server = new TestServer(1_000, server.port());
        server.namespace().addPushed("Gap.GoodCount", 130L);
        server.namespace().addPushed("Gap.State", "idle");

        await().atMost(Duration.ofSeconds(60)).until(() -> gaps.size() == 1);
        await().atMost(WAIT).until(() -> valuesOf("Gap.GoodCount").contains(130L) && valuesOf("Gap.State").contains("idle"));
        DataGap gap = gaps.peek();
        log.info("OPC UA reconnect measured: server back after {} ms, session active {} ms later, gap {} ms",
                Duration.between(down, restarted).toMillis(), Duration.between(restarted, gap.end()).toMillis(),
                Duration.between(gap.start(), gap.end()).toMillis());
        assertThat(gap.source()).isEqualTo("opcua://gap");
        assertThat(gap.connection()).isEqualTo("gap");
        assertThat(gap.start()).isBetween(down, badSeen);
        assertThat(gap.end()).isAfterOrEqualTo(restarted);
        assertThat(gapNodes.peek()).containsExactly((Object) TestNamespace.nodeId("Gap.GoodCount"), TestNamespace.nodeId("Gap.State"));
        assertThat(status.isConnected()).isTrue();
        assertThat(status.reconnects()).isEqualTo(1);
        assertThat(status.details()).containsEntry("reconnects", 1).containsKey("lastGap").containsKey("lastValueTime");
        assertThat(registry.get("millwright.ot.opcua.reconnects").tag("connection", "gap").functionCounter().count()).isEqualTo(1);
        // Bad exactly once per node: at the drop, not again while Milo retried
        assertThat(badOf("Gap.GoodCount")).isEqualTo(1);
        assertThat(badOf("Gap.State")).isEqualTo(1);
        // after the gap nothing Bad, and the values after the Bad are the new server's
        List<Object> counts = valuesOf("Gap.GoodCount");
        assertThat(counts.subList(counts.indexOf(null) + 1, counts.size())).isNotEmpty().containsOnly(130L);
        assertThat(gaps).hasSize(1);
    }

    // Found against node-opcua: after a restart the server has none of the subscriptions, so the
    // discovered variables are browsed again. That browse must wait for the session to be active
    // (it used to run first, find no session and give up, leaving the discovered variables silent
    // until the next browse.interval, 10 min by default) and the data gap must still name them.
    @Test
    void discoveredVariables_flowAgainAfterARestart_withoutWaitingForTheNextBrowse_andAreInTheDataGap() throws Exception {
        server = new TestServer(1_000);
        server.namespace().addBrowsable("Cell9/M1/GoodCount", 100L);
        server.namespace().addBrowsable("Cell9/M1/State", "running");
        SubscriptionSettings settings = new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(100), 2, true, Deadband.NONE);
        OpcUaConnectionStatus status = start(server.endpointUrl(), List.of(), new OpcUaConnection.Browse(
                "Cell9", List.of("Cell9/**"), List.of(), Duration.ofMinutes(10), settings)).statuses().get("gap");
        await().atMost(WAIT).until(() -> valuesOf("Cell9/M1/GoodCount").contains(100L) && valuesOf("Cell9/M1/State").contains("running"));

        server.close();
        await().atMost(WAIT).until(() -> badOf("Cell9/M1/GoodCount") == 1 && badOf("Cell9/M1/State") == 1);
        server = new TestServer(1_000, server.port());
        server.namespace().addBrowsable("Cell9/M1/GoodCount", 130L);
        server.namespace().addBrowsable("Cell9/M1/State", "idle");

        await().atMost(Duration.ofSeconds(60)).until(() -> gaps.size() == 1);
        // well before the next browse (10 min): the restart's own browse brought them back
        await().atMost(WAIT).until(() -> valuesOf("Cell9/M1/GoodCount").contains(130L) && valuesOf("Cell9/M1/State").contains("idle"));
        assertThat(gapNodes.peek()).containsExactlyInAnyOrder(
                TestNamespace.nodeId("Cell9/M1/GoodCount"), TestNamespace.nodeId("Cell9/M1/State"));
        assertThat(status.discoveredItems()).isEqualTo(2);
        assertThat(discoveryHandovers.get()).isEqualTo(2); // at the start and after the restart's browse
        assertThat(status.isConnected()).isTrue();
    }

    private OpcUaSubscriptionComponent start(String endpoint, String... names) throws Exception {
        List<OpcUaNode> nodes = java.util.Arrays.stream(names).map(n -> new OpcUaNode(TestNamespace.nodeId(n), n.toLowerCase())).toList();
        return start(endpoint, nodes, null);
    }

    private OpcUaSubscriptionComponent start(String endpoint, List<OpcUaNode> nodes, OpcUaConnection.Browse browse) throws Exception {
        SubscriptionSettings settings = new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(100), 2, true, Deadband.NONE);
        OpcUaConnection connection = new OpcUaConnection("gap", Path.of("adapters/opcua/gap.yaml"), true, endpoint, false,
                List.of("None"), null, null, HandoffSettings.DEFAULTS,
                nodes.isEmpty() ? List.of() : List.of(new NodeGroup(NodeGroup.DEFAULT_NAME, settings, nodes)),
                OpcUaConnection.SecuritySettings.DEFAULTS, browse);
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(List.of(connection), name -> null, registry);
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:gap").process(e -> readings.addAll(e.getMessage().getBody(List.class)));
                from(Endpoints.NODES_DISCOVERED).process(e -> discoveryHandovers.incrementAndGet());
                from(Endpoints.DATA_GAP).process(e -> {
                    gaps.add(e.getMessage().getBody(DataGap.class));
                    gapNodes.add(List.copyOf(e.getMessage().getHeader(MessageHeaders.NODE_IDS, List.class)));
                });
            }
        });
        camel.start();
        return component;
    }

    private List<Object> valuesOf(String name) {
        String nodeId = TestNamespace.nodeId(name);
        return readings.stream().filter(r -> nodeId.equals(r.nodeId())).map(SourceReading::value).toList();
    }

    private long badOf(String name) {
        String nodeId = TestNamespace.nodeId(name);
        return readings.stream().filter(r -> nodeId.equals(r.nodeId()) && r.statusCode() == StatusCodes.Bad_NoCommunication).count();
    }
}
