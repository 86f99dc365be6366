package io.millwright.production;

import io.millwright.model.CounterKind;
import java.time.Instant;

/**
 * One reading of a cumulative counter, with the order operation that ran on the asset when it was
 * read (either may be null when the machine has not reported it).
 *
 * @param value      the counter as the source reported it; a whole number within the counter's width
 * @param observedAt when the source stamped the reading; orders readings of one counter
 * @param width      how wide the counter is (when it wraps); null = {@link CounterWidth#INT64}
 */
public record CounterReading(
        String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation, Instant observedAt,
        CounterWidth width) {

    public CounterReading {
        if (width == null) {
            width = CounterWidth.INT64;
        }
    }

    /** A reading of a counter that never wraps. */
    public CounterReading(String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation,
            Instant observedAt) {
        this(assetPath, counter, value, unit, orderId, operation, observedAt, CounterWidth.INT64);
    }

    boolean hasOrder() {
        return orderId != null && !orderId.isBlank() && operation != null && !operation.isBlank();
    }
}
