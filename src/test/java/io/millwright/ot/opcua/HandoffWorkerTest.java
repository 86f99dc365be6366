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
        Handoff handoff = new Handoff("line-1", new HandoffSettings(1_000, HandoffSettings.WhenFull.BLOCK, 100), status);
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
        Handoff handoff = new Handoff("line-1", new HandoffSettings(10, HandoffSettings.WhenFull.BLOCK, 10), status);
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
        Handoff handoff = new Handoff("line-1", new HandoffSettings(changes, HandoffSettings.WhenFull.BLOCK, 100), status);
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
