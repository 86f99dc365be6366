package io.millwright.ot;

/**
 * Values per second of a source, for its live status: over a window of about 5 s, the current window
 * once it is a second old, else the last whole one; 0 once nothing came for 10 s. Thread-safe.
 */
public final class ValuesRate {

    private long windowStart = System.currentTimeMillis();
    private long windowValues;
    private double lastRate;

    /** Counts values that arrived now. */
    public synchronized void add(long count) {
        roll(System.currentTimeMillis());
        windowValues += count;
    }

    public synchronized double perSecond() {
        long now = System.currentTimeMillis();
        roll(now);
        long elapsed = now - windowStart;
        return elapsed >= 1000 ? windowValues * 1000.0 / elapsed : lastRate;
    }

    private void roll(long now) {
        if (now - windowStart >= 5000) {
            lastRate = now - windowStart >= 10_000 ? 0 : windowValues * 1000.0 / (now - windowStart);
            windowStart = now;
            windowValues = 0;
        }
    }
}
