package io.millwright.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    @Test
    void readsWhatInstantToStringWrites_asInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000-9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(second, nanos);
            assertThat(IsoInstants.parse(instant.toString())).isEqualTo(instant).isEqualTo(Instant.parse(instant.toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-12-01T06:00:00Z", "2026-12-01T06:00:00.1Z", "2026-12-01T06:00:00.12Z", "2026-12-01T06:00:00.1234Z",
            "2026-12-01T06:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "2026-12-01T06:00:00+01:00",
            "2026-12-01T07:00:00.5-02:30", "1970-01-01T00:00:00Z", "2016-12-31T23:59:60Z", "+12026-12-01T06:00:00Z",
            "2026-12-01T24:00:00Z", "2026-12-01T06:00:00.Z"})
    void everyShapeInstantParseAccepts_givesItsAnswer(String text) {
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-02-30T06:00:00Z", "2026-13-01T06:00:00Z", "2026-12-01T06:60:00Z",
            "2026-12-01T06:00:00.1234567890Z", "2026-12-01 06:00:00Z", "2026-12-01T06:00:00",
            "2026-1a-01T06:00:00Z", "", "yesterday"})
    void whatInstantParseRefuses_isRefusedTheSameWay(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
