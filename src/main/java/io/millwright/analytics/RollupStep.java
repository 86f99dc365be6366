package io.millwright.analytics;

import java.time.Duration;
import java.time.Instant;

/** The rollup resolutions: one table each. */
public enum RollupStep {
    ONE_MINUTE("1m", Duration.ofMinutes(1), "signal_rollup_1m"),
    ONE_HOUR("1h", Duration.ofHours(1), "signal_rollup_1h");

    private final String text;
    private final Duration length;
    private final String table;

    RollupStep(String text, Duration length, String table) {
        this.text = text;
        this.length = length;
        this.table = table;
    }

    public String text() {
        return text;
    }

    Duration length() {
        return length;
    }

    String table() {
        return table;
    }

    /** The start of the bucket a time falls in: buckets are half-open, [start, start + step). */
    Instant bucketOf(Instant time) {
        long millis = length.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), millis) * millis);
    }

    /** {@code 1m} or {@code 1h}. */
    public static RollupStep parse(String text) {
        for (RollupStep step : values()) {
            if (step.text.equals(text)) {
                return step;
            }
        }
        throw new IllegalArgumentException("field 'step' '" + text + "': must be 1m or 1h");
    }
}
