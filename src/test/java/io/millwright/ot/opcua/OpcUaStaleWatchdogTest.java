package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stale watchdog: a node of a group with {@code stale-after} that stays silent that many
 * publishing intervals while connected is flagged once (Uncertain_LastUsableValue, no value); a
 * node that keeps changing, or one of a group without the watchdog, is not; a new value clears the flag.
 */
class OpcUaStaleWatchdogTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private CamelContext camel;
    private TestServer server;
    private ScheduledExecutorService changer;

    @AfterEach
    void stop() {
        if (changer != null) {
            changer.shutdownNow();
        }
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void silentNodeFlaggedUncertainOnce_busyAndUnwatchedNot_newValueClearsTheFlag() throws Exception {
        server = new TestServer(1_000);
        server.namespace().addPushed("Quiet", 1.0);
        server.namespace().addPushed("Busy", 0L);
        server.namespace().addPushed("Unwatched", 1.0);
        AtomicLong busy = new AtomicLong();
        changer = Executors.newSingleThreadScheduledExecutor();
        changer.scheduleAtFixedRate(() -> server.namespace().set("Busy", busy.incrementAndGet()), 100, 100, TimeUnit.MILLISECONDS);
        // 20 publishing intervals of 100 ms: silent for 2 s
        SubscriptionSettings watched = new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(100), 2, true, Deadband.NONE, 20);
        SubscriptionSettings unwatched = new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(100), 2, true, Deadband.NONE);
        OpcUaConnection connection = new OpcUaConnection("stale", Path.of("adapters/opcua/stale.yaml"), true,
                server.endpointUrl(), false, List.of("None"), null, null, HandoffSettings.DEFAULTS, List.of(
                        new NodeGroup("watched", watched, List.of(node("Quiet"), node("Busy"))),
                        new NodeGroup(NodeGroup.DEFAULT_NAME, unwatched, List.of(node("Unwatched")))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(List.of(connection), n -> null, registry);
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:stale").process(e -> readings.addAll(e.getMessage().getBody(List.class)));
            }
        });
        camel.start();

        await().atMost(WAIT).until(() -> uncertainOf("Quiet") == 1);
        SourceReading flagged = readings.stream().filter(r -> isUncertain(r, "Quiet")).findFirst().orElseThrow();
        assertThat(flagged.value()).isNull();
        assertThat(flagged.serverTime()).isNotNull();
        assertThat(component.statuses().get("stale").staleFlagged()).isEqualTo(1);
        assertThat(registry.get("millwright.ot.opcua.stale").tag("connection", "stale").functionCounter().count()).isEqualTo(1);

        server.namespace().set("Quiet", 2.0);
        await().atMost(WAIT).until(() -> uncertainOf("Quiet") == 2);
        List<Object> quiet = readings.stream().filter(r -> r.nodeId().equals(TestNamespace.nodeId("Quiet")))
                .map(r -> r.statusCode() == 0 ? r.value() : "UNCERTAIN").toList();
        assertThat(quiet).containsSubsequence(1.0, "UNCERTAIN", 2.0, "UNCERTAIN");
        assertThat(uncertainOf("Busy")).isZero();
        assertThat(uncertainOf("Unwatched")).isZero();
        assertThat(busy.get()).isGreaterThan(20);
    }

    private static OpcUaNode node(String name) {
        return new OpcUaNode(TestNamespace.nodeId(name), name.toLowerCase());
    }

    private static boolean isUncertain(SourceReading reading, String name) {
        return reading.nodeId().equals(TestNamespace.nodeId(name)) && reading.statusCode() == StatusCodes.Uncertain_LastUsableValue;
    }

    private long uncertainOf(String name) {
        return readings.stream().filter(r -> isUncertain(r, name)).count();
    }
}
