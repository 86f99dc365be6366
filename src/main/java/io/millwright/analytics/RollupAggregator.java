package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rolls numeric signals up per asset, tag and bucket (1 minute and 1 hour) in memory, and merges
 * what it holds into the {@link RollupStore} on {@link #flush()} (every few seconds and at
 * shutdown). Only signals with quality GOOD and a numeric value count (booleans as 1 and 0); the
 * bucket is taken from the source time ({@code time}, else {@code receivedtime}).
 */
class RollupAggregator {

    private record Key(RollupStep step, String asset, String tag, Instant bucket) {}

    private static final class Acc {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        long count;
        double last;
        Instant lastTime;

        void add(double value, Instant time) {
            min = Math.min(min, value);
            max = Math.max(max, value);
            sum += value;
            count++;
            if (lastTime == null || !time.isBefore(lastTime)) {
                last = value;
                lastTime = time;
            }
        }
    }

    private final RollupStore store;
    private Map<Key, Acc> open = new HashMap<>();
    private final AtomicLong rolledSamples = new AtomicLong();
    private final AtomicLong skippedSignals = new AtomicLong();
    private volatile String lastFailure;

    RollupAggregator(RollupStore store) {
        this.store = store;
    }

    /** Takes one signal event's JSON; returns whether it counted. */
    synchronized boolean add(JsonNode event) {
        JsonNode data = event.path("data");
        Double value = LakeColumns.numeric(data.path("value"));
        String asset = event.path("subject").asText(null);
        String tag = TagNames.nameOf(data);
        JsonNode time = event.path("time").isTextual() ? event.path("time") : event.path("receivedtime");
        if (value == null || value.isNaN() || value.isInfinite() || asset == null || tag == null || !time.isTextual()
                || !"GOOD".equals(data.path("quality").asText())) {
            skippedSignals.incrementAndGet();
            return false;
        }
        Instant at;
        try {
            at = Instant.parse(time.textValue());
        } catch (RuntimeException e) {
            skippedSignals.incrementAndGet();
            return false;
        }
        add(asset, tag, at, value);
        return true;
    }

    /** Takes one sample of a named tag. */
    synchronized void add(String asset, String tag, Instant time, double value) {
        for (RollupStep step : RollupStep.values()) {
            open.computeIfAbsent(new Key(step, asset, tag, step.bucketOf(time)), k -> new Acc()).add(value, time);
        }
        rolledSamples.incrementAndGet();
    }

    /** Merges everything held into the store; on failure keeps it for the next flush. */
    void flush() {
        Map<Key, Acc> taken;
        synchronized (this) {
            if (open.isEmpty()) {
                return;
            }
            taken = open;
            open = new HashMap<>();
        }
        List<RollupStore.Partial> partials = new ArrayList<>(taken.size());
        taken.forEach((k, a) -> partials.add(new RollupStore.Partial(k.step(), k.asset(), k.tag(), k.bucket(),
                a.min, a.max, a.sum, a.count, a.last, a.lastTime)));
        try {
            store.merge(partials);
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = "writing rollups failed: " + e.getMessage();
            synchronized (this) {
                // put back what was taken, merged with what came meanwhile
                taken.forEach((k, a) -> open.merge(k, a, (now, before) -> {
                    before.min = Math.min(before.min, now.min);
                    before.max = Math.max(before.max, now.max);
                    before.sum += now.sum;
                    before.count += now.count;
                    if (before.lastTime == null || !now.lastTime.isBefore(before.lastTime)) {
                        before.last = now.last;
                        before.lastTime = now.lastTime;
                    }
                    return before;
                }));
            }
            throw e;
        }
    }

    long rolledSamples() {
        return rolledSamples.get();
    }

    long skippedSignals() {
        return skippedSignals.get();
    }

    synchronized int openBuckets() {
        return open.size();
    }

    String lastFailure() {
        return lastFailure;
    }
}
