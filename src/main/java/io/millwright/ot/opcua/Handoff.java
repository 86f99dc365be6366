package io.millwright.ot.opcua;

import io.millwright.ot.opcua.HandoffSettings.WhenFull;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded queues between Milo's notification threads (one per subscription) and the
 * connection's workers: one queue (partition) per worker, each with an even share of the capacity.
 * A node's changes always go to the same partition, chosen by its asset ({@link #partitionOf}), so
 * the values of one asset keep their order while the assets are spread over the workers.
 * {@link #offer} is the hot path: one allocation (the entry), one queue operation, two counter
 * increments; no logging (the workers report drops, rate-limited).
 */
final class Handoff {

    private static final Logger log = LoggerFactory.getLogger(Handoff.class);
    private static final long BLOCKED_RECHECK_MILLIS = 100;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** One change as Milo delivered it, with the node it belongs to. */
    record Change(MonitoredNode node, DataValue value) {

        /** The watchdog's own Uncertain reading: not a sign of life from the server. */
        boolean stale() {
            return value.statusCode() != null
                    && value.statusCode().value() == org.eclipse.milo.opcua.stack.core.StatusCodes.Uncertain_LastUsableValue
                    && (value.value() == null || value.value().isNull());
        }
    }

    private final String connection;
    private final ArrayBlockingQueue<Change>[] partitions;
    /** The key that keeps a node's changes together with its asset's (node id -> asset path, or null). */
    private final UnaryOperator<String> partitionKey;
    private final WhenFull whenFull;
    private final OpcUaConnectionStatus status;
    private volatile boolean closed;
    /** Set at a stop once the session is closed: what Milo still hands over is refused, counted. */
    private volatile boolean intakeClosed;
    private final LongAdder refusedAtStop = new LongAdder();

    private long droppedAtLastWarning;
    private long blockedAtLastWarning;
    private long lastWarningNanos = System.nanoTime() - WARN_EVERY_NANOS;

    Handoff(String connection, HandoffSettings settings, OpcUaConnectionStatus status) {
        this(connection, settings, status, nodeId -> null);
    }

    /**
     * @param partitionKey a node id's asset path, or null when its asset is not known (the node then
     *                     keeps to itself): nodes with the same key share a partition
     */
    @SuppressWarnings("unchecked")
    Handoff(String connection, HandoffSettings settings, OpcUaConnectionStatus status, UnaryOperator<String> partitionKey) {
        this.connection = connection;
        int workers = settings.workers();
        int share = Math.max(1, (settings.capacity() + workers - 1) / workers);
        this.partitions = new ArrayBlockingQueue[workers];
        for (int i = 0; i < workers; i++) {
            partitions[i] = new ArrayBlockingQueue<>(share);
        }
        this.partitionKey = partitionKey;
        this.whenFull = settings.whenFull();
        this.status = status;
        status.handoffDepth(this::size);
    }

    /** The number of partitions, one per worker. */
    int partitions() {
        return partitions.length;
    }

    /**
     * The partition of a node: by its asset path where the asset registry knows it (an asset's nodes
     * together, in order), else by its own id. Computed once per node, when it is subscribed.
     */
    int partitionOf(String nodeId) {
        if (partitions.length == 1) {
            return 0;
        }
        String key = partitionKey.apply(nodeId);
        return Math.floorMod((key == null ? nodeId : key).hashCode(), partitions.length);
    }

    /** Called on Milo's notification thread for every change. */
    void offer(MonitoredNode node, DataValue value) {
        status.received.increment();
        if (intakeClosed) {
            refusedAtStop.increment();
            status.dropped.increment();
            return;
        }
        Change change = new Change(node, value);
        ArrayBlockingQueue<Change> queue = partitions[node.partition()];
        if (queue.offer(change)) {
            return;
        }
        if (whenFull == WhenFull.DROP_OLDEST) {
            do {
                if (queue.poll() != null) {
                    status.dropped.increment();
                }
            } while (!queue.offer(change));
        } else {
            waitForRoom(queue, change);
        }
    }

    private void waitForRoom(ArrayBlockingQueue<Change> queue, Change change) {
        status.blocked.increment();
        long start = System.nanoTime();
        try {
            // re-check now and then, so a consumer that stops never leaves Milo's thread waiting
            while (intakeClosed || !queue.offer(change, BLOCKED_RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closed || intakeClosed) {
                    if (intakeClosed) {
                        refusedAtStop.increment();
                    }
                    status.dropped.increment();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.dropped.increment();
        } finally {
            status.blockedNanos.add(System.nanoTime() - start);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a first change of the partition, then takes what else is
     * there, up to {@code max}.
     */
    int drainTo(int partition, List<Change> batch, int max, long timeoutMillis) throws InterruptedException {
        ArrayBlockingQueue<Change> queue = partitions[partition];
        Change first = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return 0;
        }
        batch.add(first);
        return 1 + queue.drainTo(batch, max - 1);
    }

    /** Changes waiting, all partitions. */
    int size() {
        int size = 0;
        for (ArrayBlockingQueue<Change> queue : partitions) {
            size += queue.size();
        }
        return size;
    }

    boolean isEmpty(int partition) {
        return partitions[partition].isEmpty();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** Stops blocking offers (they drop, counted); called when the worker has ended. */
    void close() {
        closed = true;
    }

    /**
     * At a stop, once the session and its subscriptions are closed: what Milo still hands over from
     * publish responses it had already received is refused (counted as dropped and in the stop's log
     * line), so the worker drains a hand-off that no longer fills.
     */
    void closeIntake() {
        intakeClosed = true;
    }

    /** Changes refused since {@link #closeIntake}. */
    long refusedAtStop() {
        return refusedAtStop.sum();
    }

    /** Counts changes taken from the hand-off that the worker could not deliver (a bug of ours, logged by the worker). */
    void countLost(int changes) {
        status.dropped.add(changes);
    }

    /** Drops what is left, counted, and says so. */
    void discardRemaining() {
        List<Change> left = new ArrayList<>();
        for (ArrayBlockingQueue<Change> queue : partitions) {
            queue.drainTo(left);
        }
        if (!left.isEmpty() || refusedAtStop() > 0) {
            status.dropped.add(left.size());
            log.warn("OPC UA changes discarded at stop connection={} discarded={} refusedAfterSessionClosed={}", connection,
                    left.size(), refusedAtStop());
        }
    }

    /** Logs drops and waits since the last line, at most once per 10 s; called by the workers. */
    synchronized void warnIfLosingOrWaiting() {
        long now = System.nanoTime();
        if (now - lastWarningNanos < WARN_EVERY_NANOS) {
            return;
        }
        long dropped = status.dropped();
        long blocked = status.blockedCount();
        if (dropped > droppedAtLastWarning) {
            log.warn("OPC UA hand-off full, oldest changes dropped connection={} dropped={} droppedTotal={} capacity={}",
                    connection, dropped - droppedAtLastWarning, dropped, status.handoffCapacity());
            lastWarningNanos = now;
        } else if (blocked > blockedAtLastWarning) {
            log.warn("OPC UA hand-off full, subscription held back connection={} waits={} waitedTotalMs={} capacity={}",
                    connection, blocked - blockedAtLastWarning, status.blockedNanos() / 1_000_000,
                    status.handoffCapacity());
            lastWarningNanos = now;
        }
        droppedAtLastWarning = dropped;
        blockedAtLastWarning = blocked;
    }
}
