package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testsupport.SettableClock;
import io.millwright.testsupport.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Issue 7: on an edge whose counts the central hub confirms, the ledger does not grow for ever. A row is
 * deleted only after the link delivered its production-count event and the retention has passed since; a row
 * never forwarded stays whatever its age.
 */
class ForwardedLedgerTest {

    static final Duration RETENTION = Duration.ofDays(7);

    final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T08:00:00Z"));
    TestDatabase db;
    ForwardedLedger ledger;

    @BeforeEach
    void open() {
        db = TestDatabase.h2();
        ledger = new ForwardedLedger(db.jdbc(), new ProductionProperties(2, RETENTION), clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aRowIsDeletedOnlyOnceItWasForwardedLongerAgoThanTheRetention() {
        book("count-1", Instant.parse("2026-11-01T08:00:00Z"));
        book("count-2", clock.instant());
        book("never-forwarded", Instant.parse("2026-10-01T08:00:00Z")); // far older than the retention
        book("forwarded-later", clock.instant());

        assertThat(ledger.markForwarded(List.of("count-1", "count-2", "an-id-this-ledger-never-booked"))).isEqualTo(2);
        clock.advance(Duration.ofDays(1));
        assertThat(ledger.markForwarded(List.of("forwarded-later", "count-1"))).as("count-1 keeps its first time").isEqualTo(1);

        clock.advance(RETENTION.minusDays(1).minusSeconds(1));
        assertThat(ledger.prune()).as("a second before the retention has passed").isZero();
        assertThat(eventIds()).containsExactlyInAnyOrder("count-1", "count-2", "never-forwarded", "forwarded-later");

        clock.advance(Duration.ofSeconds(2));
        assertThat(ledger.prune()).isEqualTo(2);
        assertThat(eventIds()).as("not forwarded: kept, however old; forwarded a day later: a day longer")
                .containsExactlyInAnyOrder("never-forwarded", "forwarded-later");

        clock.advance(Duration.ofDays(1));
        assertThat(ledger.prune()).isEqualTo(1);
        assertThat(eventIds()).containsExactly("never-forwarded");
    }

    @Test
    void noIdsMarkNothing() {
        book("count-1", clock.instant());
        assertThat(ledger.markForwarded(List.of())).isZero();
        clock.advance(RETENTION.plusDays(1));
        assertThat(ledger.prune()).isZero();
        assertThat(eventIds()).containsExactly("count-1");
    }

    private void book(String countEventId, Instant observedAt) {
        db.jdbc().update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at, count_event_id)
                VALUES ('acme/plant-1/press/line-1/cell-1', '1000011', '0010', 'GOOD', 1, 'PC', :observedAt, :id)
                """, new MapSqlParameterSource("id", countEventId).addValue("observedAt", Timestamp.from(observedAt)));
    }

    private List<String> eventIds() {
        return db.jdbc().queryForList("SELECT count_event_id FROM production_count_ledger", new MapSqlParameterSource(), String.class);
    }
}
