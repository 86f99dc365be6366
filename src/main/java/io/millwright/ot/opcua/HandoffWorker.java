package io.millwright.ot.opcua;

import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.Handoff.Change;
import io.millwright.ot.opcua.internal.DataValueConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the connection's worker threads: drains its partition of the hand-off in batches of up to
 * {@code max-batch} without waiting for a batch to fill, turns them into {@link SourceReading}s and
 * hands each batch to the route as one list, in arrival order.
 */
final class HandoffWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(HandoffWorker.class);
    private static final long POLL_MILLIS = 200;

    private final String connection;
    private final String source;
    private final Handoff handoff;
    private final int partition;
    private final int maxBatch;
    private final Consumer<List<SourceReading>> deliver;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long drainUntilNanos;
    /** Changes handed to the route so far (written by the worker thread only). */
    private volatile long deliveredChanges;

    HandoffWorker(String connection, Handoff handoff, int maxBatch, Consumer<List<SourceReading>> deliver) {
        this(connection, handoff, 0, maxBatch, deliver);
    }

    HandoffWorker(String connection, Handoff handoff, int partition, int maxBatch, Consumer<List<SourceReading>> deliver) {
        this.connection = connection;
        this.source = "opcua://" + connection;
        this.handoff = handoff;
        this.partition = partition;
        this.maxBatch = maxBatch;
        this.deliver = deliver;
        this.thread = new Thread(this, "opcua-" + connection + "-worker" + (handoff.partitions() == 1 ? "" : "-" + partition));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Delivers what its partition holds for up to {@code drainTimeoutMillis}, then ends the thread. What
     * is left the caller discards ({@link Handoff#discardRemaining}, counted and logged). A connection's
     * workers are stopped together: {@link #beginStop} on each, then {@link #awaitStop}.
     */
    void stop(long drainTimeoutMillis) {
        beginStop(drainTimeoutMillis);
        awaitStop(drainTimeoutMillis);
    }

    /** Lets the thread deliver what its partition holds for up to {@code drainTimeoutMillis} more, then end. */
    void beginStop(long drainTimeoutMillis) {
        drainUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMillis);
        running = false;
    }

    /** Waits for the thread to end (a little longer than its drain time), then interrupts it. */
    void awaitStop(long drainTimeoutMillis) {
        try {
            thread.join(drainTimeoutMillis + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    /** Changes this worker has handed to the route. */
    long deliveredChanges() {
        return deliveredChanges;
    }

    @Override
    public void run() {
        List<Change> batch = new ArrayList<>(maxBatch);
        while (running || (!handoff.isEmpty(partition) && System.nanoTime() < drainUntilNanos)) {
            try {
                if (handoff.drainTo(partition, batch, maxBatch, POLL_MILLIS) > 0) {
                    deliver.accept(toReadings(batch));
                    deliveredChanges += batch.size();
                    batch.clear();
                }
                handoff.warnIfLosingOrWaiting();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the consumer hands failures to Camel's exception handler; this is a bug of ours
                // counted as dropped, so that health, metrics and the JMX view show the loss
                log.error("OPC UA worker failed on a batch, its changes are lost, continuing connection={} batch={}", connection,
                        batch.size(), e);
                handoff.countLost(batch.size());
                batch.clear();
            }
        }
    }

    private List<SourceReading> toReadings(List<Change> batch) {
        List<SourceReading> readings = new ArrayList<>(batch.size());
        long now = System.nanoTime();
        for (int i = 0, n = batch.size(); i < n; i++) {
            Change change = batch.get(i);
            if (!change.stale()) {
                change.node().seen(now);
            }
            readings.add(DataValueConverter.toReading(connection, source, change.node().nodeId(), change.value()));
        }
        return readings;
    }
}
