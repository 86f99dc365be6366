package io.millwright.production;

import io.millwright.model.ProductionCount;

/**
 * What the {@link CounterLedger} made of one {@link CounterReading}.
 *
 * @param count the increment booked (outcome {@link Outcome#BOOKED} with parts counted), else null
 * @param problem why the reading was not booked (outcomes {@link Outcome#NO_ORDER}, {@link Outcome#REJECTED}), else null
 */
public record CounterBooking(CounterReading reading, Outcome outcome, ProductionCount count, RuntimeException problem) {

    public enum Outcome {
        /** The first reading of a counter the hub never saw: its baseline; nothing counted before it is booked. */
        BASELINE,
        /** Same value as the last booked reading. */
        UNCHANGED,
        /** The increase since the last booked reading is booked for the reading's order operation. */
        BOOKED,
        /** Older than the last booked reading (a resubmitted reading a later one already counted): nothing changes. */
        STALE,
        /** Parts were counted but no order operation is known: nothing booked, the counter state stays, so no part is lost. */
        NO_ORDER,
        /** The value is not a whole number >= 0. */
        REJECTED
    }
}
