package io.millwright.ot.opcua;

/**
 * The bounded hand-off between Milo's notification thread and the connection's worker thread,
 * which delivers batches to the route.
 *
 * @param capacity the most changes waiting for the route; at least 1
 * @param whenFull what a full hand-off does with the next change
 * @param maxBatch the most changes in one exchange; at least 1
 */
public record HandoffSettings(int capacity, WhenFull whenFull, int maxBatch) {

    /**
     * 100,000 changes: two seconds of the 50,000 changes/s the hub is sized for, about 10 MB of
     * Milo DataValues; enough to ride out a slow second downstream without holding back the server.
     * Batches of 1,000 keep one exchange's list small while amortising Camel's per-exchange cost.
     */
    public static final HandoffSettings DEFAULTS = new HandoffSettings(100_000, WhenFull.BLOCK, 1_000);

    public HandoffSettings {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be >= 1, were " + capacity + ", " + maxBatch);
        }
    }

    /** What happens to a change that arrives when the hand-off is full. */
    public enum WhenFull {
        /**
         * The notification thread waits for room. Milo then sends no further publish requests for
         * the subscription, and the server keeps changes in its queues (queue-size per item),
         * discarding per discard-oldest when they overflow.
         */
        BLOCK,
        /** The oldest waiting change is dropped and counted, so the newest values get through. */
        DROP_OLDEST
    }
}
