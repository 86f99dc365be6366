package io.millwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.erp.ConfirmationOutbox;
import io.millwright.erp.ConfirmationWindow;
import io.millwright.model.CounterKind;
import io.millwright.model.ProductionConfirmation;
import io.millwright.model.ProductionCount;
import io.millwright.production.CounterBooking;
import io.millwright.production.CounterBooking.Outcome;
import io.millwright.production.CounterLedger;
import io.millwright.production.CounterReading;
import io.millwright.production.MissingOrderContextException;
import io.millwright.testsupport.TestDatabase;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hub's store on a real database: counter ledger, confirmation windows and the dead-letter
 * store. Runs on H2 ({@link HubStoreH2Test}) and on PostgreSQL ({@link HubStorePostgresIT}).
 */
abstract class HubStoreContract {

    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";

    TestDatabase db;
    CounterLedger ledger;
    ConfirmationWindow window;
    DeadLetterStore deadLetters;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        ledger = new CounterLedger(db.jdbc(), db.transactions());
        window = new ConfirmationWindow(db.jdbc(), db.transactions(), new ConfirmationOutbox(db.jdbc()));
        deadLetters = new DeadLetterStore(db.jdbc());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Readings a millisecond apart, in source-time order, as a machine reports them. */
    Instant clock = Instant.parse("2026-11-30T08:00:00Z");

    Instant tick() {
        clock = clock.plusMillis(1);
        return clock;
    }

    CounterReading reading(String asset, CounterKind counter, Object total, String orderId, String operation) {
        return new CounterReading(asset, counter, total, "PC", orderId, operation, tick());
    }

    Optional<ProductionCount> read(CounterKind counter, long total) {
        return ledger.record(reading(ASSET, counter, total, "1000011", "0010"));
    }

    @Nested
    class CounterLedgerBehaviour {

        // A hub that starts watching a running machine must not confirm what was made before.
        @Test
        void firstReadingIsBaseline_andLaterReadingsBookTheIncrease() {
            assertThat(read(CounterKind.GOOD, 1200)).isEmpty();
            assertThat(read(CounterKind.GOOD, 1205)).get().extracting(ProductionCount::delta).isEqualTo(5L);
            assertThat(read(CounterKind.GOOD, 1205)).isEmpty();
            assertThat(read(CounterKind.GOOD, 1212)).get().extracting(ProductionCount::delta).isEqualTo(7L);
        }

        // The restart case: the counter state is in the database, so a new ledger continues exactly.
        @Test
        void newLedgerOnSameStoreCountsWhatWasProducedMeanwhile_whenHubRestarts() {
            read(CounterKind.GOOD, 100);
            read(CounterKind.GOOD, 110);
            CounterLedger afterRestart = new CounterLedger(db.jdbc(), db.transactions());
            Optional<ProductionCount> count = afterRestart.record(reading(ASSET, CounterKind.GOOD, 130L, "1000011", "0010"));
            assertThat(count).get().extracting(ProductionCount::delta).isEqualTo(20L);
            assertThat(ledgerSum("GOOD")).isEqualTo(30L);
        }

        @Test
        void counterBelowLastValueIsTakenAsReset() {
            read(CounterKind.SCRAP, 50);
            assertThat(read(CounterKind.SCRAP, 3)).get().extracting(ProductionCount::delta).isEqualTo(3L);
        }

        // Parts counted while no order is known are not lost: they are booked with the next reading.
        @Test
        void nothingBookedAndNothingLost_whenOrderUnknown() {
            read(CounterKind.GOOD, 10);
            assertThatThrownBy(() -> ledger.record(reading(ASSET, CounterKind.GOOD, 14L, null, null)))
                    .isInstanceOf(MissingOrderContextException.class)
                    .hasMessageContaining(ASSET);
            assertThat(ledgerSum("GOOD")).isZero();
            assertThat(read(CounterKind.GOOD, 15)).get().extracting(ProductionCount::delta).isEqualTo(5L);
        }

        // A parked reading resubmitted after a later reading counted its parts must not count them
        // again, nor be taken for a counter reset (which would count its whole value).
        @Test
        void resubmittedOlderReadingChangesNothing_whenLaterReadingAlreadyCountedIt() {
            read(CounterKind.GOOD, 10);
            CounterReading parked = reading(ASSET, CounterKind.GOOD, 14L, null, null);
            assertThatThrownBy(() -> ledger.record(parked)).isInstanceOf(MissingOrderContextException.class);
            assertThat(read(CounterKind.GOOD, 15)).get().extracting(ProductionCount::delta).isEqualTo(5L);

            CounterReading resubmitted = new CounterReading(ASSET, CounterKind.GOOD, 14L, "PC", "1000011", "0010", parked.observedAt());
            assertThat(ledger.book(List.of(resubmitted))).singleElement().extracting(CounterBooking::outcome).isEqualTo(Outcome.STALE);
            assertThat(ledgerSum("GOOD")).isEqualTo(5L);
            // control: a genuinely newer reading below the last value is still a reset
            assertThat(read(CounterKind.GOOD, 2)).get().extracting(ProductionCount::delta).isEqualTo(2L);
        }

        // One transaction per batch, in order per counter; a bad reading is reported, not thrown, and the rest is booked.
        @Test
        void batchBookedInOrderPerCounter_andBadReadingReportedAlone() {
            read(CounterKind.GOOD, 100);
            List<CounterBooking> bookings = ledger.book(List.of(
                    reading(ASSET, CounterKind.GOOD, 103L, "1000011", "0010"),
                    reading(ASSET, CounterKind.GOOD, -4L, "1000011", "0010"),
                    reading(ASSET, CounterKind.GOOD, 103L, "1000011", "0010"),
                    reading(ASSET, CounterKind.SCRAP, 7L, "1000011", "0010"),
                    reading(ASSET, CounterKind.GOOD, 110L, "1000012", "0020")));
            assertThat(bookings).extracting(CounterBooking::outcome).containsExactly(
                    Outcome.BOOKED, Outcome.REJECTED, Outcome.UNCHANGED, Outcome.BASELINE, Outcome.BOOKED);
            assertThat(bookings.get(1).problem()).hasMessageContaining("value=-4");
            assertThat(bookings.get(4).count().delta()).isEqualTo(7L);
            assertThat(ledgerSum("GOOD")).isEqualTo(10L);
            // the booked state survives a restart: the next ledger continues from 110
            CounterLedger afterRestart = new CounterLedger(db.jdbc(), db.transactions());
            assertThat(afterRestart.record(reading(ASSET, CounterKind.GOOD, 111L, "1000012", "0020")))
                    .get().extracting(ProductionCount::delta).isEqualTo(1L);
        }

        @Test
        void negativeOrFractionalCounterRejectedWithFieldName() {
            assertThatThrownBy(() -> ledger.record(reading(ASSET, CounterKind.GOOD, -1L, "1000011", "0010")))
                    .hasMessageContaining("value=-1");
            assertThatThrownBy(() -> ledger.record(reading(ASSET, CounterKind.GOOD, 2.5, "1000011", "0010")))
                    .hasMessageContaining("whole number");
        }
    }

    @Nested
    class ConfirmationWindowBehaviour {

        @Test
        void oneConfirmationPerOrderOperationWithExactSums_andEachIncrementConfirmedOnce() {
            read(CounterKind.GOOD, 0);
            read(CounterKind.SCRAP, 0);
            read(CounterKind.GOOD, 4);
            read(CounterKind.GOOD, 9);
            read(CounterKind.SCRAP, 1);
            ledger.record(reading("acme/springfield/assembly/line-2/machine-3", CounterKind.GOOD, 0L, "1000023", "0010"));
            ledger.record(reading("acme/springfield/assembly/line-2/machine-3", CounterKind.GOOD, 6L, "1000023", "0010"));

            List<ProductionConfirmation> first = window.close();
            assertThat(first).extracting(ProductionConfirmation::orderId).containsExactly("1000011", "1000023");
            ProductionConfirmation line1 = first.get(0);
            assertThat(line1.yieldQuantity()).isEqualByComparingTo("9");
            assertThat(line1.scrapQuantity()).isEqualByComparingTo("1");
            assertThat(line1.idempotencyKey()).startsWith("MW-1000011-0010-").hasSizeLessThanOrEqualTo(40);
            assertThat(outboxRow(line1.idempotencyKey())).containsEntry("STATUS", "PENDING");

            // control: nothing is confirmed twice
            assertThat(window.close()).isEmpty();
            read(CounterKind.GOOD, 12);
            List<ProductionConfirmation> next = window.close();
            assertThat(next).singleElement().extracting(ProductionConfirmation::yieldQuantity)
                    .satisfies(q -> assertThat((BigDecimal) q).isEqualByComparingTo("3"));
        }
    }

    @Nested
    class DeadLetterStoreBehaviour {

        @Test
        void parkedEntryKeepsReasonAndPayload_andIsResubmittedOnlyOnce() {
            long id = deadLetters.park("enrich-signal-asset-context", "direct:ot-opcua-signal", "unknown node X",
                    "io.millwright.enrich.UnknownAssetException", "corr-1", "{\"nodeId\":\"X\"}", "{}");
            DeadLetter parked = deadLetters.find(id).orElseThrow();
            assertThat(parked.reason()).isEqualTo("unknown node X");
            assertThat(parked.payload()).isEqualTo("{\"nodeId\":\"X\"}");
            assertThat(parked.status()).isEqualTo(DeadLetter.Status.PARKED);
            assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).extracting(DeadLetter::id).contains(id);

            assertThat(deadLetters.markResubmitted(id)).isTrue();
            assertThat(deadLetters.markResubmitted(id)).isFalse();
            assertThat(deadLetters.find(id).orElseThrow().resubmittedAt()).isNotNull();
        }
    }

    long ledgerSum(String counter) {
        Long sum = db.jdbc().queryForObject("SELECT COALESCE(SUM(delta), 0) FROM production_count_ledger WHERE counter = :counter",
                Map.of("counter", counter), Long.class);
        return sum == null ? 0 : sum;
    }

    Map<String, Object> outboxRow(String key) {
        Map<String, Object> row = db.jdbc().queryForMap("SELECT status FROM confirmation_outbox WHERE idempotency_key = :key", Map.of("key", key));
        return Map.of("STATUS", row.values().iterator().next());
    }
}
