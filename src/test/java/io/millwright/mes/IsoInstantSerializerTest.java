package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast formatter writes exactly what {@link Instant#toString()} writes, the text consumers parse. */
class IsoInstantSerializerTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "1970-01-01T00:00:00Z", "2026-11-30T08:00:01.250Z", "2026-11-30T08:00:01.250100Z", "2026-11-30T08:00:01.250100007Z",
        "2024-02-29T23:59:59.999Z", "2000-03-01T00:00:00.001Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.100Z", "1900-02-28T12:00:00Z"})
    void formatsLikeInstantToString(String text) {
        Instant instant = Instant.parse(text);
        assertThat(format(instant)).isEqualTo(instant.toString());
    }

    // Leap years, century rules and every fraction width, over a million random instants.
    @Test
    void formatsLikeInstantToString_forRandomInstantsOfTenThousandYears() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 1_000_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void yearsBeyondFourDigitsAreLeftToToString() {
        assertThat(IsoInstantSerializer.format(Instant.parse("+10000-01-01T00:00:00Z"), new char[30])).isNegative();
        assertThat(IsoInstantSerializer.format(Instant.parse("-0001-12-31T00:00:00Z"), new char[30])).isNegative();
    }

    private static String format(Instant instant) {
        char[] text = new char[30];
        return new String(text, 0, IsoInstantSerializer.format(instant, text));
    }
}
