package io.millwright.ops;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Telemetry first: whether the telemetry path is falling behind, so that the side routes that run
 * in the same process (analytics, alerting) give it the CPU. Sources register how full their
 * hand-off is (0 empty, 1 full; the OPC UA connections' hand-offs); a side route calls
 * {@link #yieldWhileBehind()} before each poll it works on and waits, a short while at a time and
 * at most {@code maxWait}, while any hand-off is fuller than {@code fill}. The side routes then
 * lag behind on their Kafka topics (they catch up when the plant is quieter) instead of the
 * telemetry losing changes; the wait is bounded so that they always make progress.
 */
public final class TelemetryPressure {

    private static final long STEP_MILLIS = 20;

    private final List<DoubleSupplier> fills = new CopyOnWriteArrayList<>();
    private final double fill;
    private final Duration maxWait;
    private final AtomicLong waitedMillis = new AtomicLong();
    private final SideRouteThreads sideRouteThreads;

    /**
     * @param fill the hand-off fill (0..1) from which the telemetry counts as behind
     * @param maxWait the longest one side route waits before it works on a poll anyway
     */
    public TelemetryPressure(double fill, Duration maxWait) {
        this(fill, maxWait, 0);
    }

    /**
     * @param fill the hand-off fill (0..1) from which the telemetry counts as behind
     * @param maxWait the longest one side route waits before it works on a poll anyway
     * @param sideRouteNice the nice value of the side routes' threads (0 leaves them as they are; {@link SideRouteThreads})
     */
    public TelemetryPressure(double fill, Duration maxWait, int sideRouteNice) {
        if (!(fill > 0 && fill <= 1)) {
            throw new IllegalArgumentException("fill must be in (0, 1], was " + fill);
        }
        this.fill = fill;
        this.maxWait = maxWait;
        this.sideRouteThreads = new SideRouteThreads(sideRouteNice);
    }

    /** Never behind: for hubs and tests without telemetry sources. */
    public static TelemetryPressure none() {
        return new TelemetryPressure(1, Duration.ZERO);
    }

    /** Adds a source: how full its hand-off is now, 0..1. */
    public void register(DoubleSupplier handoffFill) {
        fills.add(handoffFill);
    }

    /** Whether a source's hand-off is fuller than the threshold. */
    public boolean behind() {
        for (DoubleSupplier source : fills) {
            if (source.getAsDouble() >= fill) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks the calling thread as a side route's: it runs at the configured lower priority from now
     * on (once per thread; {@link SideRouteThreads}).
     */
    public void onSideRouteThread() {
        sideRouteThreads.lowerCurrentThread();
    }

    /** Waits while the telemetry is behind, at most {@code maxWait}. */
    public void yieldWhileBehind() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        while (behind() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(STEP_MILLIS);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (waited >= STEP_MILLIS) {
            waitedMillis.addAndGet(waited);
        }
    }

    /** Milliseconds the side routes have waited for the telemetry in all (a meter). */
    public long waitedMillis() {
        return waitedMillis.get();
    }
}
