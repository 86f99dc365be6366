package io.millwright.edge;

import io.millwright.model.SourceReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The edge filters: per (source, tag), what was last passed on, and whether a new reading differs
 * enough to pass. Rules, for the first configured filter that matches the tag:
 * <ul>
 *   <li>the first reading of a tag, and a reading whose status differs from the last passed one, always pass;</li>
 *   <li>min-interval: a reading less than this after the last passed one (source time) is dropped;</li>
 *   <li>deadband (absolute) / deadband-percent (of the last passed value's magnitude): a numeric
 *       reading passes only when {@code |v - last| > band}; both set = it must exceed both;</li>
 *   <li>report-by-exception (and a deadband on a non-numeric value): it passes only when it differs.</li>
 * </ul>
 * A tag no filter matches passes unchanged. Thread-safe per tag as long as one tag's readings come
 * from one thread (as each adapter delivers them).
 */
final class EdgeFilters {

    private record Compiled(Pattern source, Pattern tags, EdgeProperties.Filter filter) {}

    private record Last(Object value, long status, Instant time) {}

    private static final Optional<Compiled> NONE = Optional.empty();

    private final List<Compiled> filters;
    private final Map<String, Optional<Compiled>> byTag = new ConcurrentHashMap<>();
    private final Map<String, Last> last = new ConcurrentHashMap<>();

    EdgeFilters(List<EdgeProperties.Filter> filters) {
        this.filters = filters.stream().map(f -> new Compiled(Globs.compile(f.source()), Globs.compile(f.tags()), f)).toList();
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** The readings that pass, in order. */
    List<SourceReading> apply(List<SourceReading> readings) {
        if (filters.isEmpty()) {
            return readings;
        }
        List<SourceReading> passed = new ArrayList<>(readings.size());
        for (SourceReading reading : readings) {
            if (passes(reading)) {
                passed.add(reading);
            }
        }
        return passed;
    }

    boolean passes(SourceReading reading) {
        String key = reading.source() + '\n' + reading.nodeId();
        Optional<Compiled> match = byTag.computeIfAbsent(key, k -> find(reading));
        if (match.isEmpty()) {
            return true;
        }
        EdgeProperties.Filter filter = match.get().filter();
        Instant time = reading.time() != null ? reading.time() : Instant.now();
        Last previous = last.get(key);
        boolean pass = previous == null || previous.status() != reading.statusCode() || differs(filter, previous, reading.value(), time);
        if (pass) {
            last.put(key, new Last(reading.value(), reading.statusCode(), time));
        }
        return pass;
    }

    private static boolean differs(EdgeProperties.Filter filter, Last previous, Object value, Instant time) {
        Duration minInterval = filter.minInterval();
        if (minInterval != null && Duration.between(previous.time(), time).compareTo(minInterval) < 0) {
            return false;
        }
        boolean banded = filter.deadband() != null || filter.deadbandPercent() != null;
        if (banded && value instanceof Number now && previous.value() instanceof Number before) {
            double delta = Math.abs(now.doubleValue() - before.doubleValue());
            if (filter.deadband() != null && !(delta > filter.deadband())) {
                return false;
            }
            return filter.deadbandPercent() == null || delta > Math.abs(before.doubleValue()) * filter.deadbandPercent() / 100.0;
        }
        if (banded || filter.reportByException()) {
            return !Objects.equals(previous.value(), value);
        }
        return true;
    }

    private Optional<Compiled> find(SourceReading reading) {
        for (Compiled c : filters) {
            if (c.source().matcher(reading.source()).matches() && c.tags().matcher(reading.nodeId()).matches()) {
                return Optional.of(c);
            }
        }
        return NONE;
    }
}
