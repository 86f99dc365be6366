package io.millwright.production;

import io.millwright.model.CounterKind;
import java.time.Instant;

/**
 * One reading of a cumulative counter, with the order operation that ran on the asset when it was
 * read (either may be null when the machine has not reported it).
 *
 * @param value      the counter as the source reported it; must be a whole number >= 0
 * @param observedAt when the source stamped the reading; orders readings of one counter
 */
public record CounterReading(
        String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation, Instant observedAt) {

    boolean hasOrder() {
        return orderId != null && !orderId.isBlank() && operation != null && !operation.isBlank();
    }
}
