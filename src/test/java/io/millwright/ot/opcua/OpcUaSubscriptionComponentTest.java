package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.HandoffSettings.WhenFull;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The component against an in-process Milo server whose variables the test sets: what the
 * subscription settings make the server send, what reaches the route, and what the hand-off does
 * when the route is slow.
 */
class OpcUaSubscriptionComponentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SERVER_MAX_ITEMS_PER_CALL = 1_000;

    private static TestServer server;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private CamelContext camel;
    private OpcUaSubscriptionComponent component;
    private ScheduledExecutorService changer;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestServer(SERVER_MAX_ITEMS_PER_CALL);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stopCamel() {
        if (changer != null) {
            changer.shutdownNow();
        }
        if (camel != null) {
            camel.stop();
        }
    }

    // OPC 10000-4 5.12.1.5: the queue holds the samples of one publishing interval; 5 changes per
    // 500 ms fit a queue of 10. Sampling at 50 ms (twice per change) so scheduling jitter between
    // the changer and the sampler cannot skip a value.
    @Test
    void everyChangeArrives_whenSamplingIsFasterThanChanges_andQueueHoldsAPublishingInterval() throws Exception {
        int changes = changeEvery100ms("Sequence", 30);
        start(settings(Duration.ofMillis(50), Duration.ofMillis(500), 10, Deadband.NONE), "Sequence");

        List<Long> values = awaitSequenceUpTo("Sequence", changes);

        assertThat(values).containsExactlyElementsOf(
                LongStream.rangeClosed(values.get(0), changes).boxed().toList());
    }

    // The control: the same changes with queue size 1 keep only the last sample of each publish.
    @Test
    void changesLost_whenQueueSizeIsOne() throws Exception {
        int changes = changeEvery100ms("SequenceQueue1", 30);
        start(settings(Duration.ofMillis(50), Duration.ofMillis(500), 1, Deadband.NONE), "SequenceQueue1");

        List<Long> values = awaitSequenceUpTo("SequenceQueue1", changes);

        assertThat(values).hasSizeLessThan(changes / 2);
    }

    // OPC 10000-4 7.22.2: with an absolute deadband a change is reported only if it exceeds the
    // band relative to the last reported value.
    @Test
    void changesInsideDeadbandHeldBack_andChangeOutsideArrives() throws Exception {
        server.namespace().addPushed("Level", 10.0);
        start(settings(Duration.ofMillis(50), Duration.ofMillis(50), 10, new Deadband(Deadband.Type.ABSOLUTE, 0.5)),
                "Level");
        await().atMost(WAIT).until(() -> valuesOf("Level").contains(10.0));

        server.namespace().set("Level", 10.2);
        server.namespace().set("Level", 10.4);
        server.namespace().set("Level", 9.6);
        server.namespace().set("Level", 11.0);

        await().atMost(WAIT).until(() -> valuesOf("Level").contains(11.0));
        assertThat(valuesOf("Level")).containsExactly(10.0, 11.0);
    }

    @Test
    void readingCarriesNodeIdAsWritten_statusAndBothTimestamps() throws Exception {
        server.namespace().addPushed("Quality", 1.0);
        start(settings(Duration.ZERO, Duration.ofMillis(50), 2, Deadband.NONE), "Quality");
        await().atMost(WAIT).until(() -> valuesOf("Quality").contains(1.0));
        Instant sourceTime = Instant.parse("2025-11-20T08:15:30.125Z");
        Instant serverTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        server.namespace().set("Quality", new DataValue(new Variant(7.5),
                new StatusCode(StatusCodes.Uncertain_LastUsableValue), new DateTime(sourceTime), new DateTime(serverTime)));

        await().atMost(WAIT).until(() -> valuesOf("Quality").contains(7.5));
        SourceReading reading = readings.stream().filter(r -> Double.valueOf(7.5).equals(r.value())).findFirst().orElseThrow();
        assertThat(reading).isEqualTo(new SourceReading("test", "opcua://test", TestNamespace.nodeId("Quality"), 7.5,
                StatusCodes.Uncertain_LastUsableValue, sourceTime, serverTime));
    }

    // OPC 10000-5 6.3.11: MaxMonitoredItemsPerCall bounds each CreateMonitoredItems call. A node
    // the server rejects is counted with its status; the others are created.
    @Test
    void itemsCreatedInBatchesWithinServerLimit_andRejectedNodeCounted() throws Exception {
        List<String> names = IntStream.range(0, 5_000).mapToObj(i -> "Many" + i).toList();
        names.forEach(name -> server.namespace().addPushed(name, 0.0));
        int callsBefore = server.namespace().createCalls();
        List<String> all = new ArrayList<>(names);
        all.add("DoesNotExist");

        start(settings(Duration.ofMillis(1000), Duration.ofMillis(200), 2, Deadband.NONE), all.toArray(String[]::new));

        OpcUaConnectionStatus status = component.statuses().get("test");
        await().atMost(WAIT).until(status::isSubscribed);
        await().atMost(WAIT).until(() -> readings.stream().map(SourceReading::nodeId).distinct().count() == 5_000);
        assertThat(server.namespace().createCalls() - callsBefore).isGreaterThanOrEqualTo(5);
        assertThat(server.namespace().largestCreateCall()).isLessThanOrEqualTo(SERVER_MAX_ITEMS_PER_CALL);
        assertThat(status.requested()).isEqualTo(5_001);
        assertThat(status.created()).isEqualTo(5_000);
        assertThat(status.failed()).isEqualTo(1);
        assertThat(status.details().get("failedItems"))
                .isEqualTo(Map.of(TestNamespace.nodeId("DoesNotExist"), "Bad_NodeIdUnknown"));
        assertThat(registry.get("millwright.ot.opcua.items").tags("connection", "test", "state", "created").gauge().value())
                .isEqualTo(5_000);
    }

    // A restarted server has neither the session nor the subscription: Milo reconnects, the
    // transfer fails (OPC 10000-4 5.13.7), and the component creates the subscription again.
    @Test
    void valuesArriveAgain_whenServerRestartsAndLosesTheSubscription() throws Exception {
        TestServer restarting = new TestServer(SERVER_MAX_ITEMS_PER_CALL);
        try {
            restarting.namespace().addPushed("Restart", 1.0);
            start(connection(restarting.endpointUrl(), settings(Duration.ZERO, Duration.ofMillis(50), 2, Deadband.NONE),
                    HandoffSettings.DEFAULTS, "Restart"), exchange -> {});
            await().atMost(WAIT).until(() -> valuesOf("Restart").contains(1.0));

            restarting.close();
            await().atMost(WAIT).until(() -> !component.statuses().get("test").isConnected());
            restarting = new TestServer(SERVER_MAX_ITEMS_PER_CALL, restarting.port());
            restarting.namespace().addPushed("Restart", 2.0);

            await().atMost(Duration.ofSeconds(90)).until(() -> valuesOf("Restart").contains(2.0));
            assertThat(component.statuses().get("test").isConnected()).isTrue();
            assertThat(component.statuses().get("test").created()).isEqualTo(1);
        } finally {
            restarting.close();
        }
    }

    // received + dropped = offered: a full drop-oldest hand-off loses changes, but never unseen.
    @Test
    void oldestDroppedAndCounted_whenRouteIsSlow_andPolicyIsDropOldest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int offered = burstIntoSlowRoute("BurstDrop", WhenFull.DROP_OLDEST, release);
        OpcUaConnectionStatus status = component.statuses().get("test");

        await().atMost(WAIT).until(() -> status.received() == offered);
        release.countDown();
        await().atMost(WAIT).until(() -> status.handoffDepth() == 0 && readings.size() + status.dropped() == offered);

        assertThat(status.dropped()).isPositive();
        assertThat(registry.get("millwright.ot.opcua.handoff.dropped").tag("connection", "test").functionCounter().count())
                .isEqualTo(status.dropped());
        assertThat(valuesOf("BurstDrop")).contains((double) offered - 1); // the newest survived
    }

    // With block, Milo's thread waits and the server queues: nothing is lost, only delayed.
    @Test
    void nothingDropped_whenRouteIsSlow_andPolicyIsBlock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int offered = burstIntoSlowRoute("BurstBlock", WhenFull.BLOCK, release);
        OpcUaConnectionStatus status = component.statuses().get("test");

        await().atMost(WAIT).until(() -> status.blockedCount() > 0);
        release.countDown();
        await().atMost(WAIT).until(() -> readings.size() == offered);

        assertThat(status.dropped()).isZero();
        assertThat(valuesOf("BurstBlock")).containsExactlyElementsOf(
                IntStream.range(0, offered).mapToObj(i -> (double) i).toList());
        assertThat(registry.get("millwright.ot.opcua.handoff.blocked").tag("connection", "test").functionTimer().count())
                .isPositive();
    }

    /**
     * A route that waits for {@code release} on its first exchange, a hand-off of 10 changes, one
     * change per exchange, and a server queue that keeps everything: 200 values after the initial
     * one. Returns how many changes the server sends (201).
     */
    private int burstIntoSlowRoute(String name, WhenFull whenFull, CountDownLatch release) throws Exception {
        server.namespace().addPushed(name, 0.0);
        AtomicInteger exchanges = new AtomicInteger();
        Processor slow = exchange -> {
            if (exchanges.incrementAndGet() == 1) {
                assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("test released the route").isTrue();
            }
        };
        start(connection(settings(Duration.ZERO, Duration.ofMillis(20), 1_000, Deadband.NONE),
                new HandoffSettings(10, whenFull, 1, 1), name), slow);
        await().atMost(WAIT).until(() -> exchanges.get() == 1);
        for (int i = 1; i <= 200; i++) {
            server.namespace().set(name, (double) i);
        }
        return 201;
    }

    private int changeEvery100ms(String name, int changes) {
        server.namespace().addSampled(name, 0L);
        AtomicInteger next = new AtomicInteger(1);
        changer = Executors.newSingleThreadScheduledExecutor();
        // starts once the items exist, so the first change is not taken for the initial value
        changer.scheduleAtFixedRate(() -> {
            if (component != null && component.statuses().get("test").isSubscribed() && next.get() <= changes) {
                server.namespace().set(name, (long) next.getAndIncrement());
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return changes;
    }

    private List<Long> awaitSequenceUpTo(String name, int last) {
        await().atMost(WAIT).until(() -> valuesOf(name).contains((long) last));
        return valuesOf(name).stream().map(Long.class::cast).filter(v -> v > 0).toList();
    }

    private List<Object> valuesOf(String name) {
        String nodeId = TestNamespace.nodeId(name);
        return readings.stream().filter(r -> nodeId.equals(r.nodeId())).map(SourceReading::value).toList();
    }

    // Warm standby (several hubs, millwright.cluster.warm-standby): while the route does not run here the
    // component holds a session without subscriptions; the route subscribes on that session (the server
    // never sees a second one from this hub), and a stopped route leaves a warm session again.
    @Test
    void routeSubscribesOnTheWarmSession_andAStoppedRouteLeavesAWarmSessionAgain() throws Exception {
        server.namespace().addPushed("Warm", 1.0);
        await().atMost(WAIT).until(() -> server.sessionCount() == 0); // earlier tests' sessions closed
        component = new OpcUaSubscriptionComponent(List.of(connection(
                settings(Duration.ofMillis(50), Duration.ofMillis(100), 10, Deadband.NONE), HandoffSettings.DEFAULTS, "Warm")),
                name -> null, registry);
        component.warmStandby(true);
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:test").routeId("test-opcua").autoStartup(false)
                        .process(exchange -> readings.addAll(exchange.getMessage().getBody(List.class)));
            }
        });
        camel.start();

        await().atMost(WAIT).until(() -> server.sessionCount() == 1);
        assertThat(component.hasWarmSession("test")).isTrue();
        assertThat(server.subscriptionCount()).as("subscriptions while the route does not run here").isZero();

        camel.getRouteController().startRoute("test-opcua");
        await().atMost(WAIT).until(() -> valuesOf("Warm").contains(1.0));
        assertThat(server.sessionCount()).as("sessions: the warm one, now subscribed").isEqualTo(1);
        assertThat(server.subscriptionCount()).isEqualTo(1);
        assertThat(component.hasWarmSession("test")).as("warm session handed to the route").isFalse();

        camel.getRouteController().stopRoute("test-opcua");
        await().atMost(WAIT).until(() -> component.hasWarmSession("test") && server.subscriptionCount() == 0
                && server.sessionCount() == 1);
    }

    // Issue 5: a connection's nodes shared out over its workers by asset (hand-off.workers); each asset's
    // values keep their order and come through one worker, and the assets use them all.
    @Test
    void valuesGoThroughTheConnectionsWorkers_eachAssetOnOneWorker_inOrder() throws Exception {
        List<String> names = List.of("PressState", "PressCount", "OvenTemperature", "OvenDoor");
        names.forEach(name -> server.namespace().addPushed(name, 0.0));
        String press = "plant/line-1/press";
        String oven = IntStream.range(0, 100).mapToObj(i -> "plant/line-1/oven-" + i)
                .filter(path -> Math.floorMod(path.hashCode(), 2) != Math.floorMod(press.hashCode(), 2))
                .findFirst().orElseThrow();
        java.util.Map<String, java.util.Set<String>> threadsByAsset = new java.util.concurrent.ConcurrentHashMap<>();
        io.millwright.model.AssetLookup assets = (source, connection, tag) -> {
            assertThat(source).isEqualTo("opcua://test");
            return tag.contains("Press") ? press : oven;
        };
        start(connection(settings(Duration.ZERO, Duration.ofMillis(50), 1_000, Deadband.NONE),
                new HandoffSettings(1_000, WhenFull.BLOCK, 10, 2), names.toArray(String[]::new)), exchange -> {
                    for (Object reading : exchange.getMessage().getBody(List.class)) {
                        String asset = ((SourceReading) reading).nodeId().contains("Press") ? press : oven;
                        threadsByAsset.computeIfAbsent(asset, a -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                                .add(Thread.currentThread().getName());
                    }
                }, assets);
        await().atMost(WAIT).until(() -> component.statuses().get("test").isSubscribed());
        for (int i = 1; i <= 100; i++) {
            for (String name : names) {
                server.namespace().set(name, (double) i);
            }
        }

        for (String name : names) {
            await().atMost(WAIT).until(() -> valuesOf(name).contains(100.0));
            List<Object> values = valuesOf(name).stream().filter(v -> (double) v > 0).toList();
            assertThat(values).as(name + " in order").containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 100).mapToObj(i -> (Object) (double) i).toList());
        }
        assertThat(threadsByAsset.get(press)).as("the press's worker").hasSize(1);
        assertThat(threadsByAsset.get(oven)).as("the oven's worker").hasSize(1);
        assertThat(java.util.stream.Stream.concat(threadsByAsset.get(press).stream(), threadsByAsset.get(oven).stream()))
                .containsExactlyInAnyOrder("opcua-test-worker-0", "opcua-test-worker-1");
    }

    private void start(SubscriptionSettings settings, String... names) throws Exception {
        start(connection(settings, HandoffSettings.DEFAULTS, names), exchange -> {});
    }

    private void start(OpcUaConnection connection, Processor processor) throws Exception {
        start(connection, processor, null);
    }

    private void start(OpcUaConnection connection, Processor processor, io.millwright.model.AssetLookup assets) throws Exception {
        component = new OpcUaSubscriptionComponent(List.of(connection), name -> null, registry);
        if (assets != null) {
            component.assets(assets);
        }
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:test").routeId("test-opcua")
                        .process(exchange -> readings.addAll(exchange.getMessage().getBody(List.class)))
                        .process(processor);
            }
        });
        camel.start();
    }

    private static OpcUaConnection connection(SubscriptionSettings settings, HandoffSettings handoff, String... names) {
        return connection(server.endpointUrl(), settings, handoff, names);
    }

    private static OpcUaConnection connection(
            String endpoint, SubscriptionSettings settings, HandoffSettings handoff, String... names) {
        List<OpcUaNode> nodes = Arrays.stream(names)
                .map(name -> new OpcUaNode(TestNamespace.nodeId(name), name.toLowerCase()))
                .toList();
        return new OpcUaConnection("test", Path.of("adapters/opcua/test.yaml"), true, endpoint, false,
                List.of("None"), null, null, handoff, List.of(new NodeGroup(NodeGroup.DEFAULT_NAME, settings, nodes)));
    }

    private static SubscriptionSettings settings(Duration sampling, Duration publishing, int queueSize, Deadband deadband) {
        return new SubscriptionSettings(sampling, publishing, queueSize, true, deadband);
    }
}
