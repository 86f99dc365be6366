package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One tag's numeric values over a window (the {@code signal-rollup} event): how many GOOD
 * numeric values arrived in {@code [windowStart, windowEnd)}, their minimum, maximum, average and
 * the last of them.
 *
 * @param tag         the tag as its source names it
 * @param windowStart inclusive, aligned to the window length (epoch based)
 * @param windowEnd   exclusive
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalRollup(String tag, Instant windowStart, Instant windowEnd, long count, double min, double max, double avg, double last) {

    public SignalRollup {
        InvalidEventException.required("tag", tag);
        InvalidEventException.required("windowStart", windowStart);
        InvalidEventException.required("windowEnd", windowEnd);
    }
}
