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
 * @param source     where the reading came from, kept with its ledger increment (lineage); null when unknown
 */
public record CounterReading(
        String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation, Instant observedAt,
        CounterWidth width, Source source) {

    /**
     * The event a reading came in and the event its increment goes out as, for tracking's lineage.
     *
     * @param signalEventId CloudEvents id of the reading's signal event (its correlation id)
     * @param countEventId  CloudEvents id of the production-count event published for the increment
     * @param source        CloudEvents source of the reading (adapter and address, e.g. {@code opcua://plant-sim})
     * @param node          the tag as the source names it (an OPC UA node id, a Sparkplug metric)
     */
    public record Source(String signalEventId, String countEventId, String source, String node) {}

    public CounterReading {
        if (width == null) {
            width = CounterWidth.INT64;
        }
    }

    /** A reading without its source (tests, replays). */
    public CounterReading(String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation,
            Instant observedAt, CounterWidth width) {
        this(assetPath, counter, value, unit, orderId, operation, observedAt, width, null);
    }

    /** A reading of a counter that never wraps. */
    public CounterReading(String assetPath, CounterKind counter, Object value, String unit, String orderId, String operation,
            Instant observedAt) {
        this(assetPath, counter, value, unit, orderId, operation, observedAt, CounterWidth.INT64, null);
    }

    boolean hasOrder() {
        return orderId != null && !orderId.isBlank() && operation != null && !operation.isBlank();
    }
}
