package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.model.SourceReading;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/** The connection's worker never loses a change silently: a batch it cannot deliver is counted as dropped. */
class HandoffWorkerTest {

    @Test
    void aBatchTheRouteCouldNotTakeIsCountedAsDropped_andTheNextOnesAreDelivered() throws Exception {
        OpcUaConnectionStatus status = new OpcUaConnectionStatus("line-1", "opc.tcp://line-1:4840", 1_000);
        Handoff handoff = new Handoff("line-1", new HandoffSettings(1_000, HandoffSettings.WhenFull.BLOCK, 100, 1), status);
        AtomicBoolean failNext = new AtomicBoolean(true);
        List<SourceReading> delivered = new CopyOnWriteArrayList<>();
        HandoffWorker worker = new HandoffWorker("line-1", handoff, 100, readings -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("a bug of ours");
            }
            delivered.addAll(readings);
        });
        MonitoredNode node = new MonitoredNode("ns=2;s=Line1.Temperature", handoff);
        DateTime now = DateTime.now();
        for (int i = 0; i < 3; i++) {
            node.onDataReceived(null, new DataValue(new Variant((double) i), StatusCode.GOOD, now, now));
        }
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> status.dropped() == 3);
        node.onDataReceived(null, new DataValue(new Variant(3.0), StatusCode.GOOD, now, now));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        assertThat(delivered.get(0).value()).isEqualTo(3.0);
        assertThat(status.dropped()).isEqualTo(3);
        worker.stop(1_000);
    }

    /**
     * Issue 5, several workers per connection: the nodes are shared out by asset, so a burst goes through
     * the route on every worker; an asset's nodes stay on one worker, in the order Milo delivered them, and
     * a worker held up by its assets does not hold up the others'.
     */
    @Test
    void assetsAreSharedOutOverTheWorkers_eachAssetInOrder_andASlowWorkerHoldsUpOnlyItsOwnAssets() throws Exception {
        OpcUaConnectionStatus status = new OpcUaConnectionStatus("line-1", "opc.tcp://line-1:4840", 1_000);
        // asset paths whose hashes fall in different partitions of two
        String pressAsset = "plant/line-1/press";
        String ovenAsset = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "plant/line-1/oven-" + i)
                .filter(path -> Math.floorMod(path.hashCode(), 2) != Math.floorMod(pressAsset.hashCode(), 2))
                .findFirst().orElseThrow();
        java.util.Map<String, String> assetOf = java.util.Map.of(
                "ns=2;s=Press.State", pressAsset, "ns=2;s=Press.Count", pressAsset, "ns=2;s=Oven.Temperature", ovenAsset);
        Handoff handoff = new Handoff("line-1", new HandoffSettings(1_000, HandoffSettings.WhenFull.BLOCK, 100, 2), status,
                assetOf::get);
        MonitoredNode pressState = new MonitoredNode("ns=2;s=Press.State", handoff);
        MonitoredNode pressCount = new MonitoredNode("ns=2;s=Press.Count", handoff);
        MonitoredNode ovenTemperature = new MonitoredNode("ns=2;s=Oven.Temperature", handoff);
        assertThat(handoff.partitions()).isEqualTo(2);
        assertThat(pressState.partition()).as("an asset's nodes share a worker").isEqualTo(pressCount.partition());
        assertThat(ovenTemperature.partition()).as("another asset, the other worker").isNotEqualTo(pressState.partition());

        java.util.concurrent.CountDownLatch pressHeld = new java.util.concurrent.CountDownLatch(1);
        List<SourceReading> delivered = new CopyOnWriteArrayList<>();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.function.Consumer<List<SourceReading>> route = readings -> {
            threads.add(Thread.currentThread().getName());
            if (readings.get(0).nodeId().startsWith("ns=2;s=Press")) {
                try {
                    pressHeld.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            delivered.addAll(readings);
        };
        List<HandoffWorker> workers = List.of(new HandoffWorker("line-1", handoff, 0, 100, route),
                new HandoffWorker("line-1", handoff, 1, 100, route));
        DateTime now = DateTime.now();
        for (int i = 0; i < 50; i++) {
            pressState.onDataReceived(null, new DataValue(new Variant((double) i), StatusCode.GOOD, now, now));
            pressCount.onDataReceived(null, new DataValue(new Variant((double) i), StatusCode.GOOD, now, now));
            ovenTemperature.onDataReceived(null, new DataValue(new Variant((double) i), StatusCode.GOOD, now, now));
        }
        workers.forEach(HandoffWorker::start);

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 50);
        assertThat(delivered).as("the oven's values while the press's worker is held")
                .allMatch(reading -> reading.nodeId().equals("ns=2;s=Oven.Temperature"));
        pressHeld.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 150);

        List<String> pressOrder = delivered.stream().filter(r -> r.nodeId().startsWith("ns=2;s=Press"))
                .map(r -> r.nodeId() + "=" + r.value()).toList();
        List<String> offered = java.util.stream.IntStream.range(0, 50).boxed()
                .flatMap(i -> java.util.stream.Stream.of("ns=2;s=Press.State=" + (double) i, "ns=2;s=Press.Count=" + (double) i))
                .toList();
        assertThat(pressOrder).as("the press's values in the order they were offered, across its two nodes")
                .containsExactlyElementsOf(offered);
        assertThat(threads).containsExactlyInAnyOrder("opcua-line-1-worker-0", "opcua-line-1-worker-1");
        workers.forEach(worker -> worker.beginStop(1_000));
        workers.forEach(worker -> worker.awaitStop(1_000));
        assertThat(status.dropped()).isZero();
    }

    /**
     * Issue 11, SIGTERM under load: a stopping worker hands on everything queued while its limit allows,
     * and what a route too slow for the limit leaves is discarded counted (dropped), never silently.
     */
    @Test
    void stopDeliversEverythingQueuedWithinItsLimit_andWhatIsLeftBeyondItIsCounted() throws Exception {
        assertThat(stopWithQueued(5_000, 0, 60_000)).as("changes left after a stop with time enough").isZero();

        OpcUaConnectionStatus status = new OpcUaConnectionStatus("line-1", "opc.tcp://line-1:4840", 1_000);
        long left = stopWithQueued(5_000, 50, 300, status);
        assertThat(left).as("changes a route of 50 ms per batch of 100 leaves after 300 ms").isPositive();
        assertThat(status.dropped()).as("the left ones, counted as dropped").isEqualTo(left);
    }

    /** At a stop, once the session is closed, what Milo still hands over is refused and counted, so the hand-off no longer fills. */
    @Test
    void afterTheIntakeClosed_changesAreRefusedCountedAndNotQueued() {
        OpcUaConnectionStatus status = new OpcUaConnectionStatus("line-1", "opc.tcp://line-1:4840", 1_000);
        Handoff handoff = new Handoff("line-1", new HandoffSettings(10, HandoffSettings.WhenFull.BLOCK, 10, 1), status);
        MonitoredNode node = new MonitoredNode("ns=2;s=Line1.Temperature", handoff);
        DateTime now = DateTime.now();
        node.onDataReceived(null, new DataValue(new Variant(1.0), StatusCode.GOOD, now, now));
        handoff.closeIntake();
        for (int i = 0; i < 25; i++) { // more than the capacity: a blocking offer would wait for ever
            node.onDataReceived(null, new DataValue(new Variant(2.0 + i), StatusCode.GOOD, now, now));
        }
        assertThat(handoff.size()).as("queued").isEqualTo(1);
        assertThat(handoff.refusedAtStop()).as("refused after the intake closed").isEqualTo(25);
        assertThat(status.dropped()).as("counted as dropped").isEqualTo(25);
    }

    private static long stopWithQueued(int changes, long millisPerBatch, long limitMillis) throws Exception {
        return stopWithQueued(changes, millisPerBatch, limitMillis,
                new OpcUaConnectionStatus("line-1", "opc.tcp://line-1:4840", 1_000));
    }

    /** Queues {@code changes}, starts and at once stops the worker; returns what was not delivered (discarded). */
    private static long stopWithQueued(int changes, long millisPerBatch, long limitMillis, OpcUaConnectionStatus status)
            throws Exception {
        Handoff handoff = new Handoff("line-1", new HandoffSettings(changes, HandoffSettings.WhenFull.BLOCK, 100, 1), status);
        List<SourceReading> delivered = new CopyOnWriteArrayList<>();
        HandoffWorker worker = new HandoffWorker("line-1", handoff, 100, readings -> {
            try {
                Thread.sleep(millisPerBatch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.addAll(readings);
        });
        MonitoredNode node = new MonitoredNode("ns=2;s=Line1.Temperature", handoff);
        DateTime now = DateTime.now();
        for (int i = 0; i < changes; i++) {
            node.onDataReceived(null, new DataValue(new Variant((double) i), StatusCode.GOOD, now, now));
        }
        worker.start();
        worker.stop(limitMillis);
        handoff.close();
        handoff.discardRemaining();
        assertThat(delivered.size() + status.dropped()).as("delivered and discarded").isEqualTo(changes);
        return changes - delivered.size();
    }
}
