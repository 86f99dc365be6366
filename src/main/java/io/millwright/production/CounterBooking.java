package io.millwright.production;

import io.millwright.model.ProductionCount;

/**
 * What the {@link CounterLedger} made of one {@link CounterReading}.
 *
 * @param count the increment booked (outcome {@link Outcome#BOOKED} with parts counted), else null
 * @param problem why the reading was not booked (outcomes {@link Outcome#NO_ORDER}, {@link Outcome#REJECTED}), else null
 * @param discontinuity the reset or wrap this booking crossed (recorded in table {@code counter_event}), else null
 */
public record CounterBooking(CounterReading reading, Outcome outcome, ProductionCount count, RuntimeException problem,
        Discontinuity discontinuity) {

    public CounterBooking(CounterReading reading, Outcome outcome, ProductionCount count, RuntimeException problem) {
        this(reading, outcome, count, problem, null);
    }

    /**
     * A newer reading below the last booked one: the counter was reset (the new value is what was
     * made since) or wrapped over its width (the parts across the wrap were made).
     */
    public record Discontinuity(Kind kind, long previousValue, long newValue, long bookedDelta) {

        public enum Kind {
            RESET,
            WRAP
        }
    }

    public enum Outcome {
        /** The first reading of a counter the hub never saw: its baseline; nothing counted before it is booked. */
        BASELINE,
        /** Same value as the last booked reading. */
        UNCHANGED,
        /** The increase since the last booked reading is booked for the reading's order operation. */
        BOOKED,
        /**
         * Not newer than the last booked reading (a resubmitted reading a later one already counted, a
         * late or replayed value, a second connection reading the same node): nothing changes, and a
         * lower value is never taken for a reset.
         */
        STALE,
        /** Parts were counted but no order operation is known: nothing booked, the counter state stays, so no part is lost. */
        NO_ORDER,
        /** The value is not a whole number within the counter's width. */
        REJECTED
    }
}
