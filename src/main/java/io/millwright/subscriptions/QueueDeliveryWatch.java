package io.millwright.subscriptions;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last delivery and last error of queue subscriptions, which the broker does not keep: Artemis
 * counts a queue's acknowledged and failed (expired, or dead after too many delivery attempts)
 * messages and, while a consumer is attached, the time of its last acknowledgement, but forgets
 * that time when the consumer leaves. The hub reads those figures every few seconds and remembers:
 * <ul>
 *   <li>{@code lastDelivery}: the latest acknowledgement time a consumer reported; when the
 *       acknowledged count grew while no consumer was there to report it (a subscriber that came
 *       and went between two reads), the time of the read that saw it grow, so at most one read
 *       interval late;</li>
 *   <li>{@code lastError} and {@code lastErrorAt}: when the failed count grew, how many events the
 *       broker gave up on, and when that was seen.</li>
 * </ul>
 * Kept in memory: after a hub restart both are empty until the next delivery or failure (the
 * counts themselves are the broker's and survive).
 */
class QueueDeliveryWatch {

    /** What was seen of one queue. */
    private record Seen(long delivered, long failed, Instant lastDelivery, String lastError, Instant lastErrorAt) {}

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /**
     * Takes a read of the queue's figures ({@code delivered}, {@code failed},
     * {@code consumerLastAcknowledged} as epoch millis or absent) made at {@code now}, and adds
     * {@code lastDelivery}, {@code lastError} and {@code lastErrorAt} to them.
     */
    Map<String, Object> observe(String subscription, Map<String, Object> figures, Instant now) {
        if (!figures.containsKey("delivered")) {
            return figures; // no queue
        }
        long delivered = number(figures.get("delivered"));
        long failed = number(figures.get("failed"));
        Object acknowledged = figures.remove("consumerLastAcknowledged");
        Instant reported = acknowledged == null || number(acknowledged) <= 0 ? null : Instant.ofEpochMilli(number(acknowledged));
        Seen next = seen.compute(subscription, (name, before) -> {
            if (before == null) {
                String error = failed > 0 ? failed + " event(s) expired or given up on by the broker, before the hub started" : null;
                return new Seen(delivered, failed, reported, error, null);
            }
            Instant lastDelivery = latest(before.lastDelivery(), reported);
            if (delivered > before.delivered() && (reported == null || !reported.isAfter(orEpoch(before.lastDelivery())))) {
                lastDelivery = latest(lastDelivery, now); // delivered while nobody attached could tell us when
            }
            String lastError = before.lastError();
            Instant lastErrorAt = before.lastErrorAt();
            if (failed > before.failed()) {
                lastError = (failed - before.failed()) + " event(s) expired or exceeded the delivery attempts and left the queue"
                        + " (" + failed + " in all; see the broker's dead-letter and expiry addresses)";
                lastErrorAt = now;
            }
            return new Seen(Math.max(delivered, before.delivered()), Math.max(failed, before.failed()), lastDelivery,
                    lastError, lastErrorAt);
        });
        figures.put("lastDelivery", next.lastDelivery() == null ? null : next.lastDelivery().toString());
        figures.put("lastError", next.lastError());
        figures.put("lastErrorAt", next.lastErrorAt() == null ? null : next.lastErrorAt().toString());
        return figures;
    }

    /** Forgets a deleted subscription (one created again by that name starts afresh). */
    void forget(String subscription) {
        seen.remove(subscription);
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Instant orEpoch(Instant instant) {
        return instant == null ? Instant.EPOCH : instant;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
