package io.millwright.production;

import io.millwright.model.InvalidEventException;
import java.util.Locale;

/**
 * How wide a cumulative counter is, so that a counter that runs over its range and starts again
 * (a wrap) books the parts made across the wrap, not its new value (issue 8, hole 2). Declared per
 * counter tag in the asset registry ({@code counter-width: uint16}); undeclared counters are
 * {@link #INT64}: they never wrap in a machine's life.
 *
 * <p>A reading below the last one of a bounded counter is a wrap when the parts made across the
 * wrap are fewer than half the counter's range, else a reset: a machine does not make 32,768 parts
 * between two readings of a 16-bit counter, but a counter reset to zero from the middle of its
 * range looks exactly like that.
 */
public enum CounterWidth {
    INT16(16, true),
    UINT16(16, false),
    INT32(32, true),
    UINT32(32, false),
    INT64(64, true);

    private final int bits;
    private final boolean signed;

    CounterWidth(int bits, boolean signed) {
        this.bits = bits;
        this.signed = signed;
    }

    /** The width a registry spells {@code int16}, {@code UInt16}, {@code uint32}...; null or blank = {@link #INT64}. */
    public static CounterWidth parse(String text) {
        if (text == null || text.isBlank()) {
            return INT64;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field("counter-width", text, "must be one of int16, uint16, int32, uint32, int64");
        }
    }

    /** Whether the counter runs over and starts again within a machine's life. */
    public boolean wraps() {
        return bits < 64;
    }

    /**
     * The reading as a position in the counter's range 0..2^bits-1: a negative reading of a signed
     * counter is one that ran over its maximum (Int16 32767 + 1 = -32768, position 32768).
     *
     * @throws InvalidEventException when the reading cannot be a value of this width
     */
    public long position(long reading) {
        if (!wraps()) {
            if (reading < 0) {
                throw InvalidEventException.field("value", reading, "a cumulative counter must be a whole number >= 0");
            }
            return reading;
        }
        long min = signed ? -(1L << (bits - 1)) : 0;
        long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        if (reading < min || reading > max) {
            throw InvalidEventException.field("value", reading, "does not fit a " + name().toLowerCase(Locale.ROOT) + " counter ("
                    + min + ".." + max + ")");
        }
        return reading & ((1L << bits) - 1);
    }

    /**
     * The parts made from {@code last} to {@code now} (both positions) across a wrap, or -1 when
     * {@code now} below {@code last} is a reset rather than a wrap.
     */
    public long wrappedDelta(long last, long now) {
        if (!wraps() || now >= last) {
            return -1;
        }
        long range = 1L << bits;
        long delta = range - last + now;
        return delta < range / 2 ? delta : -1;
    }
}
