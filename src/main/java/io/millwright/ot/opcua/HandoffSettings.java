package io.millwright.ot.opcua;

/**
 * The bounded hand-off between Milo's notification threads and the connection's worker threads,
 * which deliver batches to the route.
 *
 * @param capacity the most changes waiting for the route, shared evenly by the workers; at least 1
 * @param whenFull what a full hand-off does with the next change
 * @param maxBatch the most changes in one exchange; at least 1
 * @param workers  worker threads of the connection, each with its share of the assets; 1..64
 */
public record HandoffSettings(int capacity, WhenFull whenFull, int maxBatch, int workers) {

    /** The most worker threads one connection may ask for. */
    public static final int MAX_WORKERS = 64;

    /**
     * Worker threads when the file names none: one per processor, at most 4. A 10,000-change burst
     * (every node of a big connection changing in one publishing interval) then goes through the
     * route on every core instead of one, which is what keeps its last change's latency near the
     * first's; more than 4 gains little next to the brokers' own threads.
     */
    public static final int DEFAULT_WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * 100,000 changes: two seconds of the 50,000 changes/s the hub is sized for, about 10 MB of
     * Milo DataValues; enough to ride out a slow second downstream without holding back the server.
     * Batches of 1,000 keep one exchange's list small while amortising Camel's per-exchange cost.
     */
    public static final HandoffSettings DEFAULTS = new HandoffSettings(100_000, WhenFull.BLOCK, 1_000, DEFAULT_WORKERS);

    public HandoffSettings {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be >= 1, were " + capacity + ", " + maxBatch);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be between 1 and " + MAX_WORKERS + ", was " + workers);
        }
    }

    /** The settings with the default number of workers. */
    public HandoffSettings(int capacity, WhenFull whenFull, int maxBatch) {
        this(capacity, whenFull, maxBatch, DEFAULT_WORKERS);
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
