package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import io.millwright.testsupport.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * OEE of a scripted early shift (06:00-14:00 UTC, 8 h), machine-state and count events written to
 * the lake, matched against a hand computation:
 *
 * <pre>
 * states  05:30 RUNNING (carries into the shift), 07:00 DOWN, 07:30 RUNNING, 12:00 SETUP, 12:20 RUNNING, 13:50 IDLE
 * running 06:00-07:00 + 07:30-12:00 + 12:20-13:50 = 3600 + 16200 + 5400 = 25200 s of 28800 s planned
 * counts  GOOD 100 @06:00:00 (A), GOOD 7900 @10:00 (A), SCRAP 200 @11:00 (A), GOOD 3000 @13:00 (B)
 *         outside: GOOD 500 @05:45, GOOD 50 @14:00:00 (end is exclusive); GOOD 7900 @10:00 once more with the same id (a replay)
 * ideal   order A 2.0 s/part, order B 1.5 s/part: (100 + 7900 + 200) * 2.0 + 3000 * 1.5 = 20900 s
 * availability = 25200 / 28800 = 0.875
 * performance  = 20900 / 25200 = 0.829365...
 * quality      = 11000 / 11200 = 0.982142...
 * OEE          = 0.875 * 0.829365 * 0.982142 = 0.712735...
 * </pre>
 */
class OeeServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINE = "acme/springfield/assembly/line-9";
    private static final String M1 = LINE + "/machine-1";
    private static final String M2 = LINE + "/machine-2";
    private static Path root;
    private static Path cycleTimes;
    private static int seq;

    @BeforeAll
    static void writeShift() throws Exception {
        Path base = Path.of(HubTestProperties.newDataDir("oee"));
        root = base.resolve("lake");
        cycleTimes = base.resolve("ideal-cycle-times.yaml");
        Files.writeString(cycleTimes, """
                default: 3.0
                assets:
                  %s: 1.0
                orders:
                  "A": 2.0
                  "B": 1.5
                """.formatted(M2));
        try (ParquetLake lake = new ParquetLake(root, 1_000_000, Duration.ofMinutes(5), Clock.systemUTC())) {
            state(lake, M1, "05:30:00", "RUNNING");
            state(lake, M1, "07:00:00", "DOWN");
            state(lake, M1, "07:30:00", "RUNNING");
            state(lake, M1, "12:00:00", "SETUP");
            state(lake, M1, "12:20:00", "RUNNING");
            state(lake, M1, "13:50:00", "IDLE");
            count(lake, "c-1", M1, "06:00:00", "GOOD", 100, "A");
            count(lake, "c-2", M1, "10:00:00", "GOOD", 7900, "A");
            count(lake, "c-2", M1, "10:00:00", "GOOD", 7900, "A");
            count(lake, "c-3", M1, "11:00:00", "SCRAP", 200, "A");
            count(lake, "c-4", M1, "13:00:00", "GOOD", 3000, "B");
            count(lake, "c-5", M1, "05:45:00", "GOOD", 500, "A");
            count(lake, "c-6", M1, "14:00:00", "GOOD", 50, "A");
            // a second machine of the line: runs the whole shift, 14400 parts of no listed order at its asset's 1.0 s
            state(lake, M2, "06:00:00", "RUNNING");
            count(lake, "d-1", M2, "09:00:00", "GOOD", 14400, null);
        }
    }

    private static OeeService service() {
        ShiftCalendar calendar = new ShiftCalendar(ZoneId.of("UTC"), List.of(
                new AnalyticsProperties.Shift("early", "06:00", "14:00"),
                new AnalyticsProperties.Shift("late", "14:00", "22:00"),
                new AnalyticsProperties.Shift("night", "22:00", "06:00")));
        LakeQuery lake = new LakeQuery(root, new AnalyticsProperties.Query(Duration.ofSeconds(30), 1000, DataSize.ofMegabytes(128)));
        return new OeeService(lake, calendar, cycleTimes);
    }

    // The shift-end KPI event on a scripted clock: nothing before the early shift has ended (plus the
    // delay for the lake), then one kpi event per asset with the hand-computed figures, and never twice.
    @Test
    void kpiEventAtTheShiftEnd_withTheHandComputedFigures_once() throws Exception {
        SettableClock clock = new SettableClock(at("13:00:00"));
        ShiftCalendar calendar = new ShiftCalendar(ZoneId.of("UTC"), List.of(
                new AnalyticsProperties.Shift("early", "06:00", "14:00"),
                new AnalyticsProperties.Shift("late", "14:00", "22:00"),
                new AnalyticsProperties.Shift("night", "22:00", "06:00")));
        ShiftKpiPublisher publisher = new ShiftKpiPublisher(service(), calendar, List.of(M1, LINE), Duration.ofMinutes(6), clock);

        clock.set(at("14:05:59"));
        assertThat(publish(publisher)).as("the shift ended, but the lake may still lag").isEmpty();
        clock.set(at("14:06:00"));
        var events = publish(publisher);
        assertThat(events).hasSize(2);
        var machine = events.get(0);
        assertThat(machine.type()).isEqualTo("io.millwright.kpi.v1");
        assertThat(machine.subject()).isEqualTo(M1);
        assertThat(machine.time()).isEqualTo(at("14:00:00"));
        assertThat(machine.data().shift()).isEqualTo("early");
        assertThat(machine.data().from()).isEqualTo(at("06:00:00"));
        assertThat(machine.data().availability()).isEqualTo(25200.0 / 28800);
        assertThat(machine.data().performance()).isCloseTo(20900.0 / 25200, within(1e-12));
        assertThat(machine.data().quality()).isCloseTo(11000.0 / 11200, within(1e-12));
        assertThat(machine.data().oee()).isCloseTo(25200.0 / 28800 * 20900.0 / 25200 * 11000.0 / 11200, within(1e-12));
        assertThat(events.get(1).subject()).isEqualTo(LINE);
        assertThat(events.get(1).data().inputs().plannedSeconds()).as("two machines of the line").isEqualTo(2 * 28800.0);
        io.millwright.testsupport.EventSchemas.assertValid(JSON.readTree(new com.fasterxml.jackson.databind.ObjectMapper()
                .findAndRegisterModules().disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(machine)));

        clock.set(at("14:30:00"));
        assertThat(publish(publisher)).as("each shift once").isEmpty();
        clock.set(at("22:06:00"));
        assertThat(publish(publisher)).extracting(e -> e.data().shift()).containsExactly("late", "late");
    }

    /** What the KPI route does at a check: the due events, then the mark moved on once they are out. */
    private static List<io.millwright.model.EventEnvelope<ShiftKpiPublisher.Kpi>> publish(ShiftKpiPublisher publisher) {
        ShiftKpiPublisher.Due due = publisher.next();
        publisher.published(due);
        return due.events();
    }

    // The hub was down from 13:00 to 23:10: at its start it publishes the early and late shifts that
    // ended meanwhile (each once, with the shift end as time), from the mark kept in the database; a
    // publish that failed moves no mark, so the next check gives the same shift again; a second
    // restart publishes nothing twice; a mark older than catch-up skips what lies beyond it.
    @Test
    void shiftsThatEndedWhileTheHubWasDown_arePublishedAtTheNextStart_once() {
        ShiftCalendar calendar = new ShiftCalendar(ZoneId.of("UTC"), List.of(
                new AnalyticsProperties.Shift("early", "06:00", "14:00"),
                new AnalyticsProperties.Shift("late", "14:00", "22:00"),
                new AnalyticsProperties.Shift("night", "22:00", "06:00")));
        try (io.millwright.testsupport.TestDatabase db = io.millwright.testsupport.TestDatabase.h2()) {
            KpiMarkStore mark = new KpiMarkStore(db.jdbc());
            Duration delay = Duration.ofMinutes(6);
            Duration catchUp = Duration.ofDays(3);
            // first run ever, 13:00: nothing back-filled, nothing due; the start is kept as the mark
            assertThat(mark.load()).isNull();
            ShiftKpiPublisher first = new ShiftKpiPublisher(service(), calendar, List.of(M1), delay, catchUp, mark, Clock.fixed(at("13:00:00"), ZoneId.of("UTC")));
            assertThat(mark.load()).isEqualTo(at("12:54:00"));
            assertThat(publish(first)).isEmpty();

            // down until 23:10: the next start publishes the early (ended 14:00) and late (22:00) shifts
            ShiftKpiPublisher restarted = new ShiftKpiPublisher(service(), calendar, List.of(M1), delay, catchUp, mark, Clock.fixed(at("23:10:00"), ZoneId.of("UTC")));
            ShiftKpiPublisher.Due failed = restarted.next();
            assertThat(failed.events()).extracting(e -> e.data().shift()).containsExactly("early", "late");
            // the publish failed (not handed to published): the same shifts come again
            ShiftKpiPublisher.Due due = restarted.next();
            assertThat(due.events()).extracting(e -> e.data().shift()).containsExactly("early", "late");
            assertThat(due.events()).extracting(e -> e.time()).containsExactly(at("14:00:00"), at("22:00:00"));
            assertThat(due.events().get(0).data().oee()).as("the early shift's hand computation")
                    .isCloseTo(25200.0 / 28800 * 20900.0 / 25200 * 11000.0 / 11200, within(1e-12));
            restarted.published(due);
            assertThat(publish(restarted)).as("each shift once").isEmpty();
            assertThat(mark.load()).isEqualTo(at("23:04:00"));

            // another restart the same evening: nothing again
            ShiftKpiPublisher again = new ShiftKpiPublisher(service(), calendar, List.of(M1), delay, catchUp, mark, Clock.fixed(at("23:20:00"), ZoneId.of("UTC")));
            assertThat(publish(again)).isEmpty();

            // down for five days: only the shifts of the last three days (catch-up) are published
            Instant fiveDaysLater = at("23:20:00").plus(Duration.ofDays(5));
            ShiftKpiPublisher late = new ShiftKpiPublisher(service(), calendar, List.of(M1), delay, catchUp, mark, Clock.fixed(fiveDaysLater, ZoneId.of("UTC")));
            List<Instant> ends = publish(late).stream().map(e -> e.time()).toList();
            assertThat(ends).hasSize(9).allSatisfy(end -> assertThat(end).isAfter(fiveDaysLater.minus(delay).minus(catchUp)));
        }
    }

    @Test
    void scriptedShiftMatchesTheHandComputation() {
        OeeService.Answer answer = service().oee(M1, at("06:00:00"), at("14:00:00"), null);
        assertThat(answer.inputs().plannedSeconds()).isEqualTo(28800.0);
        assertThat(answer.inputs().runningSeconds()).isEqualTo(25200.0);
        assertThat(answer.inputs().good()).isEqualTo(11000);
        assertThat(answer.inputs().scrap()).isEqualTo(200);
        assertThat(answer.inputs().idealSeconds()).isEqualTo(20900.0);
        assertThat(answer.availability()).isEqualTo(0.875);
        assertThat(answer.performance()).isCloseTo(0.829365, within(1e-6));
        assertThat(answer.quality()).isCloseTo(0.982143, within(1e-6));
        assertThat(answer.oee()).isCloseTo(0.712735, within(1e-6));
    }

    @Test
    void theEarlyShiftByNameInAWholeDayGivesTheSameFigures() {
        OeeService.Answer answer = service().oee(M1, Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), "early");
        assertThat(answer.inputs().plannedSeconds()).isEqualTo(28800.0);
        assertThat(answer.oee()).isCloseTo(0.712735, within(1e-6));
        assertThatThrownBy(() -> service().oee(M1, at("06:00:00"), at("14:00:00"), "weekend"))
                .isInstanceOfSatisfying(io.millwright.model.InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("shift"))
                .hasMessageContaining("weekend").hasMessageContaining("early");
    }

    @Test
    void aLinePrefixAddsItsMachinesTimesAndQuantities() {
        OeeService.Answer line = service().oee(LINE, at("06:00:00"), at("14:00:00"), null);
        assertThat(line.machines()).containsOnlyKeys(M1, M2);
        // machine 2: 28800 s planned and running, 14400 good at 1.0 s
        assertThat(line.inputs().plannedSeconds()).isEqualTo(57600.0);
        assertThat(line.inputs().runningSeconds()).isEqualTo(54000.0);
        assertThat(line.inputs().idealSeconds()).isEqualTo(35300.0);
        assertThat(line.availability()).isEqualTo(54000.0 / 57600);
        assertThat(line.performance()).isEqualTo(35300.0 / 54000);
        assertThat(line.quality()).isEqualTo(25400.0 / 25600);
        assertThat(line.machines().get(M2).oee()).isEqualTo(0.5);
        // "line-" is no prefix of "line-9/...": a prefix matches whole path segments only
        assertThat(service().oee(LINE.substring(0, LINE.length() - 1), at("06:00:00"), at("14:00:00"), null).machines()).isEmpty();
    }

    @Test
    void nightShiftCrossesMidnight() {
        ShiftCalendar calendar = new ShiftCalendar(ZoneId.of("Europe/Berlin"), List.of(new AnalyticsProperties.Shift("night", "22:00", "06:00")));
        List<OeeCalculator.Interval> planned = calendar.planned(Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), null);
        // Berlin is UTC+1 in winter: 22:00-06:00 local is 21:00-05:00 UTC
        assertThat(planned).containsExactly(
                new OeeCalculator.Interval(Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-11-30T05:00:00Z")),
                new OeeCalculator.Interval(Instant.parse("2026-11-30T21:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-30T" + time + "Z");
    }

    private static void state(ParquetLake lake, String asset, String time, String state) throws Exception {
        String json = """
                {"specversion":"1.0","id":"s-%d","type":"io.millwright.machine-state.v1","source":"opcua://plant-sim",
                 "subject":"%s","time":"%s","data":{"state":"%s"}}""".formatted(++seq, asset, at(time), state);
        lake.append("machine-state", JSON.readTree(json), json.length());
    }

    private static void count(ParquetLake lake, String id, String asset, String time, String counter, long delta, String order) throws Exception {
        String orderField = order == null ? "" : "\"orderId\":\"" + order + "\",";
        String json = """
                {"specversion":"1.0","id":"%s","type":"io.millwright.production-count.v1","source":"opcua://plant-sim",
                 "subject":"%s","time":"%s","data":{%s"operation":"0010","counter":"%s","delta":%d,"total":0,"unit":"PC"}}"""
                .formatted(id, asset, at(time), orderField, counter, delta);
        lake.append("production-count", JSON.readTree(json), json.length());
    }
}
