package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.IsoInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rolls numeric signals up per asset, tag and bucket (1 minute and 1 hour) in memory, and merges
 * what it holds into the {@link RollupStore} on {@link #flush()} (every {@code flush-interval} and at
 * shutdown). {@link #points} answers with the store's buckets and those still held combined, so a
 * reader sees every sample at once however seldom the buckets are merged: with 10,000 tags each flush
 * merges 20,000 rows, and merging every 5 s took a sixth of the hub's CPU at 50,000 changes/s
 * (docs/benchmarks.md). Only signals with quality GOOD and a numeric value count (booleans as 1 and 0); the
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

    /** An asset's tag. */
    private record Series(String asset, String tag) {}

    /**
     * The buckets a series last added to: the next sample of the series nearly always falls in the
     * same minute and hour, and then needs no bucket lookup. Cleared whenever {@link #open} is swapped
     * or changed by a merge, so it never points at a bucket that is no longer held.
     */
    private static final class Recent {
        long minuteStart;
        Acc minute;
        long hourStart;
        Acc hour;
    }

    private static final long MINUTE_MILLIS = RollupStep.ONE_MINUTE.length().toMillis();
    private static final long HOUR_MILLIS = RollupStep.ONE_HOUR.length().toMillis();

    private final Map<Series, Recent> recent = new HashMap<>();
    private final RollupStore store;
    /** Held by a flush from taking the buckets until they are merged, and by a read: a read never sees them twice or not at all. */
    private final ReentrantLock merging = new ReentrantLock();
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
            at = IsoInstants.parse(time.textValue());
        } catch (RuntimeException e) {
            skippedSignals.incrementAndGet();
            return false;
        }
        add(asset, tag, at, value);
        return true;
    }

    /** Takes one signal read flat; returns whether it counted (as {@link #add(JsonNode)} for its JSON). */
    synchronized boolean add(SignalEvent signal) {
        String tag = signal.tagName();
        double value = signal.number();
        if (!signal.hasNumber() || Double.isNaN(value) || Double.isInfinite(value) || signal.subject() == null || tag == null
                || signal.time() == null || !"GOOD".equals(signal.quality())) {
            skippedSignals.incrementAndGet();
            return false;
        }
        add(signal.subject(), tag, signal.time(), value);
        return true;
    }

    /** Takes one sample of a named tag. */
    synchronized void add(String asset, String tag, Instant time, double value) {
        Recent last = recent.computeIfAbsent(new Series(asset, tag), k -> new Recent());
        long millis = time.toEpochMilli();
        long minute = Math.floorDiv(millis, MINUTE_MILLIS) * MINUTE_MILLIS;
        if (last.minute == null || last.minuteStart != minute) {
            last.minute = open.computeIfAbsent(new Key(RollupStep.ONE_MINUTE, asset, tag, Instant.ofEpochMilli(minute)), k -> new Acc());
            last.minuteStart = minute;
        }
        long hour = Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
        if (last.hour == null || last.hourStart != hour) {
            last.hour = open.computeIfAbsent(new Key(RollupStep.ONE_HOUR, asset, tag, Instant.ofEpochMilli(hour)), k -> new Acc());
            last.hourStart = hour;
        }
        last.minute.add(value, time);
        last.hour.add(value, time);
        rolledSamples.incrementAndGet();
    }

    /** Merges everything held into the store; on failure keeps it for the next flush. */
    void flush() {
        merging.lock();
        try {
            mergeHeld();
        } finally {
            merging.unlock();
        }
    }

    /**
     * The buckets of one asset's tag that start in [from, to), oldest first: the stored ones and
     * those held in memory since the last flush, combined as the next flush will merge them.
     */
    List<RollupStore.Point> points(RollupStep step, String asset, String tag, Instant from, Instant to) {
        merging.lock();
        try {
            Map<Instant, RollupStore.Partial> buckets = new TreeMap<>();
            for (RollupStore.Partial stored : store.partials(step, asset, tag, from, to)) {
                buckets.put(stored.bucket(), stored);
            }
            synchronized (this) {
                open.forEach((k, a) -> {
                    if (k.step() == step && k.asset().equals(asset) && k.tag().equals(tag)
                            && !k.bucket().isBefore(from) && k.bucket().isBefore(to)) {
                        buckets.merge(k.bucket(), partial(k, a), RollupStore.Partial::plus);
                    }
                });
            }
            return buckets.values().stream().map(RollupStore.Partial::point).toList();
        } finally {
            merging.unlock();
        }
    }

    private static RollupStore.Partial partial(Key k, Acc a) {
        return new RollupStore.Partial(k.step(), k.asset(), k.tag(), k.bucket(), a.min, a.max, a.sum, a.count, a.last, a.lastTime);
    }

    private void mergeHeld() {
        Map<Key, Acc> taken;
        synchronized (this) {
            if (open.isEmpty()) {
                return;
            }
            taken = open;
            open = new HashMap<>();
            recent.clear();
        }
        List<RollupStore.Partial> partials = new ArrayList<>(taken.size());
        taken.forEach((k, a) -> partials.add(partial(k, a)));
        try {
            store.merge(partials);
            lastFailure = null;
        } catch (RuntimeException e) {
            lastFailure = "writing rollups failed: " + e.getMessage();
            synchronized (this) {
                recent.clear(); // the merge below replaces buckets of open
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
