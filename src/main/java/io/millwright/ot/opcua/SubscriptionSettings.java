package io.millwright.ot.opcua;

import java.time.Duration;

/**
 * How the server samples and reports the nodes of one group (OPC 10000-4 5.12: monitored items,
 * 5.13: subscriptions). The server may revise every value; the revised ones are what applies.
 *
 * @param samplingInterval how often the server samples each node; zero = as fast as the server can
 * @param publishingInterval how often the server sends what changed; groups with the same interval
 *     share one subscription
 * @param queueSize how many samples the server keeps per node between two publishes; at least 1
 * @param discardOldest when the queue is full, drop the oldest sample (true) or the newest
 * @param deadband the change a numeric value must exceed to be reported, or {@link Deadband#NONE}
 * @param staleAfter publishing intervals without a value from a node, while connected, after which
 *     the node is flagged stale (one reading with Uncertain_LastUsableValue); 0 = never
 */
public record SubscriptionSettings(
        Duration samplingInterval,
        Duration publishingInterval,
        int queueSize,
        boolean discardOldest,
        Deadband deadband,
        int staleAfter) {

    /**
     * The defaults of a connection file: sample every 500 ms, publish every second, keep 2 samples.
     * Two samples per publishing interval fit in a queue of 2, so no sample is overwritten before it
     * is published (REFERENCE §0.13: queue size 1 loses changes).
     */
    public static final SubscriptionSettings DEFAULTS =
            new SubscriptionSettings(Duration.ofMillis(500), Duration.ofSeconds(1), 2, true, Deadband.NONE, 0);

    /** Settings without a stale watchdog. */
    public SubscriptionSettings(Duration samplingInterval, Duration publishingInterval, int queueSize,
            boolean discardOldest, Deadband deadband) {
        this(samplingInterval, publishingInterval, queueSize, discardOldest, deadband, 0);
    }

    /** How long a node may stay silent before it is flagged stale, or null when it never is. */
    public Duration staleTimeout() {
        return staleAfter == 0 ? null : publishingInterval.multipliedBy(staleAfter);
    }

    public SubscriptionSettings {
        if (samplingInterval.isNegative()) {
            throw new IllegalArgumentException("samplingInterval must not be negative, was " + samplingInterval);
        }
        if (publishingInterval.isNegative() || publishingInterval.isZero()) {
            throw new IllegalArgumentException("publishingInterval must be positive, was " + publishingInterval);
        }
        if (staleAfter < 0) {
            throw new IllegalArgumentException("staleAfter must be >= 0, was " + staleAfter);
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be >= 1, was " + queueSize);
        }
    }

    /**
     * A data-change deadband (OPC 10000-4 7.22.2). Absolute: a change smaller than {@code value}
     * is not reported. Percent: of the node's EURange (OPC 10000-8 6.2); the server rejects it for
     * nodes without one.
     *
     * @param type none, absolute or percent
     * @param value the band, in the node's unit (absolute) or in percent (0-100)
     */
    public record Deadband(Type type, double value) {

        /** No deadband: every change of the value or status is reported. */
        public static final Deadband NONE = new Deadband(Type.NONE, 0);

        /** The deadband types with their OPC UA DeadbandType numbers. */
        public enum Type {
            NONE(0),
            ABSOLUTE(1),
            PERCENT(2);

            private final int opcUaValue;

            Type(int opcUaValue) {
                this.opcUaValue = opcUaValue;
            }

            /** The DeadbandType enumeration value (OPC 10000-4 7.22.2). */
            public int opcUaValue() {
                return opcUaValue;
            }
        }
    }
}
