package io.millwright.model;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: time-ordered UUIDs in the layout of RFC 9562 version 7 (48-bit Unix milliseconds,
 * then random bits). {@link UUID#randomUUID()} draws from a shared {@code SecureRandom}, a
 * measurable cost and a point of contention at tens of thousands of events a second; an event id
 * needs uniqueness, not unpredictability, and a time-ordered one sorts as the events were made.
 */
public final class EventIds {

    private EventIds() {}

    /** A new id. */
    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
