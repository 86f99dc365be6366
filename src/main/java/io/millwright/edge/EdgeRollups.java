package io.millwright.edge;

import io.millwright.model.SignalRollup;
import io.millwright.model.SourceReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Windowed rollups per (source, tag): min, max, average, count and last of the GOOD numeric
 * values whose source time falls in a window aligned to the epoch. A window is closed when a
 * value of a later window arrives, or when {@link #closeBefore(Instant)} finds its end passed; a
 * window without values gives nothing. Values of a window already closed are not counted again.
 */
final class EdgeRollups {

    /** A closed window with where its values came from. */
    record Closed(String source, String connection, SignalRollup rollup) {}

    private record Compiled(Pattern source, Pattern tags, long windowMillis) {}

    private static final class Window {
        final String source;
        final String connection;
        final String tag;
        final long start;
        final long end;
        long count;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double last;

        Window(String source, String connection, String tag, long start, long length) {
            this.source = source;
            this.connection = connection;
            this.tag = tag;
            this.start = start;
            this.end = start + length;
        }

        Closed close() {
            return new Closed(source, connection, new SignalRollup(tag, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                    count, min, max, sum / count, last));
        }
    }

    private final List<Compiled> rollups;
    private final Map<String, Optional<Compiled>> byTag = new ConcurrentHashMap<>();
    private final Map<String, Window> open = new ConcurrentHashMap<>();
    /** Per key, the start of the last window closed: later values for it or earlier windows are late. */
    private final Map<String, Long> closedUpTo = new ConcurrentHashMap<>();

    EdgeRollups(List<EdgeProperties.Rollup> rollups) {
        this.rollups = rollups.stream().map(r -> {
            if (r.window().toMillis() < 1000) {
                throw new IllegalStateException("millwright.edge.rollups (" + r.source() + " " + r.tags() + "): window " + r.window()
                        + " is shorter than 1s");
            }
            return new Compiled(Globs.compile(r.source()), Globs.compile(r.tags()), r.window().toMillis());
        }).toList();
    }

    boolean isEmpty() {
        return rollups.isEmpty();
    }

    /** Adds the readings; returns the windows they closed. */
    synchronized List<Closed> add(List<SourceReading> readings) {
        if (rollups.isEmpty()) {
            return List.of();
        }
        List<Closed> closed = new ArrayList<>(0);
        for (SourceReading reading : readings) {
            if (reading.statusCode() != 0L || !(reading.value() instanceof Number number)) {
                continue; // GOOD numeric values only
            }
            String key = reading.source() + '\n' + reading.nodeId();
            Optional<Compiled> match = byTag.computeIfAbsent(key, k -> find(reading));
            if (match.isEmpty()) {
                continue;
            }
            long length = match.get().windowMillis();
            long time = (reading.time() != null ? reading.time() : Instant.now()).toEpochMilli();
            long start = Math.floorDiv(time, length) * length;
            Long closedStart = closedUpTo.get(key);
            if (closedStart != null && start <= closedStart) {
                continue; // late for a window already closed
            }
            Window window = open.get(key);
            if (window != null && start > window.start) {
                closed.add(window.close());
                closedUpTo.put(key, window.start);
                window = null;
            }
            if (window == null) {
                window = new Window(reading.source(), reading.connection(), reading.nodeId(), start, length);
                open.put(key, window);
            }
            double v = number.doubleValue();
            window.count++;
            window.min = Math.min(window.min, v);
            window.max = Math.max(window.max, v);
            window.sum += v;
            window.last = v;
        }
        return closed;
    }

    /** Closes the windows that ended at or before {@code now}. */
    synchronized List<Closed> closeBefore(Instant now) {
        List<Closed> closed = new ArrayList<>(0);
        long at = now.toEpochMilli();
        for (Iterator<Window> it = open.values().iterator(); it.hasNext();) {
            Window window = it.next();
            if (window.end <= at) {
                closed.add(window.close());
                closedUpTo.put(window.source + '\n' + window.tag, window.start);
                it.remove();
            }
        }
        return closed;
    }

    private Optional<Compiled> find(SourceReading reading) {
        for (Compiled c : rollups) {
            if (c.source().matcher(reading.source()).matches() && c.tags().matcher(reading.nodeId()).matches()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
