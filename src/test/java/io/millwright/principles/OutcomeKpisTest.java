package io.millwright.principles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.millwright.model.DataGap;
import io.millwright.model.Outcome;
import io.millwright.testsupport.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The KPIs of {@code GET /api/outcomes} on the hub's migrated store (H2): two hours of counts, a
 * confirmation SAP accepted, dead letters, alerts and data gaps, each KPI checked per hour and over
 * the window, and what lies outside the window left out.
 */
class OutcomeKpisTest {

    private static final Instant H6 = Instant.parse("2026-11-30T06:00:00Z");
    private static final Instant H7 = Instant.parse("2026-11-30T07:00:00Z");

    // one migrated store for the class (the migration is most of the time); each test reads its own day
    private static final TestDatabase DATABASE = TestDatabase.h2();
    private final NamedParameterJdbcTemplate jdbc = DATABASE.jdbc();

    @AfterAll
    static void close() {
        DATABASE.close();
    }

    @Test
    void kpisPerOutcomeAndHour_fromWhatTheHubKeeps() {
        count("GOOD", 10, "06:10", "k1");
        count("GOOD", 20, "06:40", "k1");
        count("SCRAP", 5, "06:50", "k1");
        count("GOOD", 30, "07:05", null);
        count("GOOD", 1000, "05:59", null); // before the window
        // confirmation k1 carries counts up to 06:50; SAP accepted it at 07:00:30: 630 s
        jdbc.update("""
                INSERT INTO confirmation_outbox (idempotency_key, order_id, operation, yield_quantity, scrap_quantity, unit,
                    posting_date, status, attempts, created_at, updated_at)
                VALUES ('k1', '1000001', '0010', 30, 5, 'PC', DATE '2026-11-30', 'POSTED', 1, :created, :accepted)""",
                new MapSqlParameterSource("created", at("06:55")).addValue("accepted", at("07:00:30")));
        deadLetter("06:15");
        deadLetter("07:20");
        deadLetter("07:21");
        alert("a1", "critical", "06:30");
        alert("a2", "warning", "07:30");
        OutcomeDataGaps gaps = new OutcomeDataGaps(jdbc);
        DataGap gap = new DataGap("opcua://plant-sim", "plant-sim", Instant.parse("2026-11-30T07:10:00Z"),
                Instant.parse("2026-11-30T07:10:45Z"), List.of(), "session lost");
        gaps.record("gap-1", gap);
        gaps.record("gap-1", gap); // the same event again: kept once

        Map<Outcome, List<OutcomeKpis.Kpi>> kpis = new OutcomeKpis(jdbc).kpis(H6, H7.plusSeconds(3600));

        OutcomeKpis.Kpi good = kpi(kpis, Outcome.THROUGHPUT, "good-parts-per-hour");
        assertThat(good.points()).containsExactly(new OutcomeKpis.Point(H6, 30), new OutcomeKpis.Point(H7, 30));
        assertThat(good.overall()).isEqualTo(30.0);
        OutcomeKpis.Kpi scrapRate = kpi(kpis, Outcome.QUALITY, "scrap-rate");
        assertThat(scrapRate.points()).containsExactly(new OutcomeKpis.Point(H6, 5.0 / 35), new OutcomeKpis.Point(H7, 0));
        assertThat(scrapRate.overall()).isCloseTo(5.0 / 65, within(1e-9));
        assertThat(kpi(kpis, Outcome.COST, "scrapped-parts").overall()).isEqualTo(5.0);
        assertThat(kpi(kpis, Outcome.COST, "dead-letters").points())
                .containsExactly(new OutcomeKpis.Point(H6, 1), new OutcomeKpis.Point(H7, 2));
        assertThat(kpi(kpis, Outcome.SAFETY, "alerts-raised").overall()).isEqualTo(2.0);
        assertThat(kpi(kpis, Outcome.SAFETY, "critical-alerts-raised").points())
                .containsExactly(new OutcomeKpis.Point(H6, 1), new OutcomeKpis.Point(H7, 0));
        assertThat(kpi(kpis, Outcome.PREDICTABILITY, "confirmation-latency-mean").points())
                .containsExactly(new OutcomeKpis.Point(H7, 630));
        assertThat(kpi(kpis, Outcome.PREDICTABILITY, "confirmation-latency-max").overall()).isEqualTo(630.0);
        assertThat(kpi(kpis, Outcome.PREDICTABILITY, "data-gaps").points()).containsExactly(new OutcomeKpis.Point(H7, 1));
        assertThat(kpi(kpis, Outcome.PREDICTABILITY, "data-gap-seconds").overall()).isEqualTo(45.0);
    }

    @Test
    void windowWithoutData_answersEveryOutcomeWithoutValues() {
        // the day before the other test's
        Map<Outcome, List<OutcomeKpis.Kpi>> kpis = new OutcomeKpis(jdbc).kpis(H6.minusSeconds(86400), H7.minusSeconds(86400));
        assertThat(kpis.keySet()).containsExactly(Outcome.values());
        assertThat(kpi(kpis, Outcome.THROUGHPUT, "good-parts-per-hour").overall()).isNull();
        assertThat(kpi(kpis, Outcome.QUALITY, "scrap-rate").overall()).isNull();
        assertThat(kpi(kpis, Outcome.COST, "dead-letters").overall()).isEqualTo(0.0);
    }

    private static OutcomeKpis.Kpi kpi(Map<Outcome, List<OutcomeKpis.Kpi>> kpis, Outcome outcome, String name) {
        return kpis.get(outcome).stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    private void count(String counter, long delta, String time, String confirmationKey) {
        jdbc.update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at, confirmation_key)
                VALUES ('acme/springfield/assembly/line-1/machine-1', '1000001', '0010', :counter, :delta, 'PC', :at, :key)""",
                new MapSqlParameterSource("counter", counter).addValue("delta", delta).addValue("at", at(time))
                        .addValue("key", confirmationKey));
    }

    private void deadLetter(String time) {
        jdbc.update("INSERT INTO dead_letter (route_id, reason, status, created_at) VALUES ('r', 'why', 'PARKED', :at)",
                new MapSqlParameterSource("at", at(time)));
    }

    private void alert(String id, String severity, String time) {
        jdbc.update("""
                INSERT INTO alert_state (alert_id, rule_name, alert_key, severity, status, summary, raised_since, updated_at)
                VALUES (:id, 'rule', 'key', :severity, 'RAISED', 'summary', :at, :at)""",
                new MapSqlParameterSource("id", id).addValue("severity", severity).addValue("at", at(time)));
    }

    private static Timestamp at(String time) {
        return Timestamp.from(Instant.parse("2026-11-30T" + (time.length() == 5 ? time + ":00" : time) + "Z"));
    }
}
