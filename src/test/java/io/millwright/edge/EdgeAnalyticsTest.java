package io.millwright.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.model.SignalRollup;
import io.millwright.model.SourceReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge filters and rollups on scripted series: exact results, no broker, no clock. */
class EdgeAnalyticsTest {

    static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    static final String SRC = "sparkplug://plant-1/line-1/press-3";

    static SourceReading at(double seconds, String tag, Object value) {
        return at(seconds, tag, value, 0L);
    }

    static SourceReading at(double seconds, String tag, Object value, long status) {
        Instant time = T0.plusMillis((long) (seconds * 1000));
        return new SourceReading("plant-1/line-1/press-3", SRC, tag, value, status, time, time);
    }

    static EdgeProperties.Filter filter(String tags, Double deadband, Double percent, Duration minInterval, boolean rbe) {
        return new EdgeProperties.Filter("sparkplug://plant-1/**", tags, deadband, percent, minInterval, rbe);
    }

    static List<Object> passedValues(EdgeFilters filters, List<SourceReading> series) {
        return filters.apply(series).stream().map(SourceReading::value).toList();
    }

    @Test
    void absoluteDeadbandPassesOnlyChangesBeyondTheBandFromTheLastPassedValue() {
        var filters = new EdgeFilters(List.of(filter("Process/*", 0.5, null, null, false)));
        var series = List.of(at(0, "Process/Temp", 20.0), at(1, "Process/Temp", 20.3), at(2, "Process/Temp", 20.5),
                at(3, "Process/Temp", 20.6), at(4, "Process/Temp", 20.2), at(5, "Process/Temp", 21.2),
                at(6, "Process/Temp", 20.4), at(7, "Process/Temp", 20.49));
        // 20.5 is exactly the band from 20.0: not beyond it; 20.6 is; then 20.2 (0.4) no, 21.2 (0.6) yes,
        // 20.4 (0.8 from 21.2) yes, 20.49 (0.09) no
        assertThat(passedValues(filters, series)).containsExactly(20.0, 20.6, 21.2, 20.4);
    }

    @Test
    void percentDeadbandIsRelativeToTheLastPassedValue() {
        var filters = new EdgeFilters(List.of(filter("**", null, 10.0, null, false)));
        var series = List.of(at(0, "Speed", 100L), at(1, "Speed", 109L), at(2, "Speed", 111L),
                at(3, "Speed", 121L), at(4, "Speed", 123L), at(5, "Speed", 99L));
        // band 10 % of 100 = 10 -> 111 passes; then 10 % of 111 = 11.1 -> 121 (10) no, 123 (12) yes; 99 (24 > 12.3) yes
        assertThat(passedValues(filters, series)).containsExactly(100L, 111L, 123L, 99L);
    }

    @Test
    void minimumIntervalAndReportByException() {
        var filters = new EdgeFilters(List.of(
                filter("State", null, null, null, true),
                filter("Vibration", null, null, Duration.ofSeconds(2), false)));
        var states = List.of(at(0, "State", "running"), at(1, "State", "running"), at(2, "State", "idle"),
                at(3, "State", "idle"), at(4, "State", "running"));
        assertThat(passedValues(filters, states)).containsExactly("running", "idle", "running");
        var vibration = List.of(at(0, "Vibration", 1.0), at(0.5, "Vibration", 2.0), at(1.9, "Vibration", 3.0),
                at(2.0, "Vibration", 4.0), at(3.0, "Vibration", 5.0), at(4.5, "Vibration", 6.0));
        assertThat(passedValues(filters, vibration)).containsExactly(1.0, 4.0, 6.0);
    }

    @Test
    void statusChangeAlwaysPasses_andUnfilteredTagsPassUnchanged() {
        var filters = new EdgeFilters(List.of(filter("Process/*", 5.0, null, null, false)));
        var series = List.of(at(0, "Process/Temp", 20.0), at(1, "Process/Temp", null, 0x80310000L),
                at(2, "Process/Temp", 20.0), at(3, "Other", 1.0), at(4, "Other", 1.0));
        assertThat(filters.apply(series)).extracting(SourceReading::statusCode)
                .containsExactly(0L, 0x80310000L, 0L, 0L, 0L);
        // control: another source is not matched by the filter's source glob
        var other = new SourceReading("x", "mqtt://x", "Process/Temp", 20.0, 0L, T0, T0);
        var other2 = new SourceReading("x", "mqtt://x", "Process/Temp", 20.1, 0L, T0, T0);
        assertThat(filters.apply(List.of(other, other2))).hasSize(2);
    }

    @Test
    void rollupsGiveMinMaxAvgCountLastPerAlignedWindow() {
        var rollups = new EdgeRollups(List.of(new EdgeProperties.Rollup("sparkplug://**", "Process/*", Duration.ofSeconds(10))));
        List<EdgeRollups.Closed> closed = new ArrayList<>();
        closed.addAll(rollups.add(List.of(at(0, "Process/Temp", 20.0), at(3, "Process/Temp", 26.0), at(9.999, "Process/Temp", 23.0),
                at(4, "Process/Temp", "text"), at(5, "Process/Temp", null, 0x80310000L), at(5, "Untracked", 99.0))));
        assertThat(closed).isEmpty();
        closed.addAll(rollups.add(List.of(at(10, "Process/Temp", 30.0), at(12, "Process/Temp", 10.0))));
        assertThat(closed).hasSize(1);
        SignalRollup first = closed.get(0).rollup();
        assertThat(first.tag()).isEqualTo("Process/Temp");
        assertThat(first.windowStart()).isEqualTo(T0);
        assertThat(first.windowEnd()).isEqualTo(T0.plusSeconds(10));
        assertThat(first.count()).isEqualTo(3);
        assertThat(first.min()).isEqualTo(20.0);
        assertThat(first.max()).isEqualTo(26.0);
        assertThat(first.avg()).isEqualTo(23.0);
        assertThat(first.last()).isEqualTo(23.0);
        assertThat(closed.get(0).source()).isEqualTo(SRC);

        // the clock passes the second window's end: it closes without a further value
        assertThat(rollups.closeBefore(T0.plusSeconds(19))).isEmpty();
        List<EdgeRollups.Closed> second = rollups.closeBefore(T0.plusSeconds(20));
        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.rollup().count()).isEqualTo(2);
            assertThat(c.rollup().avg()).isEqualTo(20.0);
            assertThat(c.rollup().last()).isEqualTo(10.0);
        });
        // a late value for a closed window is not counted again
        assertThat(rollups.add(List.of(at(15, "Process/Temp", 1000.0)))).isEmpty();
        assertThat(rollups.closeBefore(T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void globsMatchWithinAndAcrossSegments() {
        assertThat(Globs.compile("Process/*").matcher("Process/Temp").matches()).isTrue();
        assertThat(Globs.compile("Process/*").matcher("Process/Hydraulics/Pressure").matches()).isFalse();
        assertThat(Globs.compile("Process/**").matcher("Process/Hydraulics/Pressure").matches()).isTrue();
        assertThat(Globs.compile("sparkplug://plant-?/**").matcher("sparkplug://plant-1/line-1").matches()).isTrue();
        assertThat(Globs.compile("a.b").matcher("axb").matches()).isFalse();
    }
}
