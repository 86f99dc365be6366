package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.model.CounterKind;
import io.millwright.model.InvalidEventException;
import io.millwright.production.CounterBooking.Discontinuity;
import io.millwright.production.CounterBooking.Outcome;
import io.millwright.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, holes 1, 2 and 10 on a real store: the ledger never counts a part twice or drops one
 * when readings arrive late, counters wrap, or an order node carries a value SAP cannot take.
 * Runs on H2 ({@link LedgerHolesH2Test}) and PostgreSQL ({@link LedgerHolesPostgresIT}).
 */
abstract class LedgerHolesContract {

    /** The shipped registry: gives the test's asset no fixed order or operation. */
    private static final io.millwright.enrich.AssetRegistry SHIPPED_REGISTRY =
            new io.millwright.enrich.AssetRegistry(java.nio.file.Path.of("mappings", "assets.yaml"));


    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    TestDatabase db;
    CounterLedger ledger;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        ledger = new CounterLedger(db.jdbc(), db.transactions());
    }

    @AfterEach
    void close() {
        db.close();
    }

    static CounterReading at(long seconds, Object value) {
        return at(seconds, value, CounterWidth.INT64);
    }

    static CounterReading at(long seconds, Object value, CounterWidth width) {
        return new CounterReading(ASSET, CounterKind.GOOD, value, "PC", "1000011", "0010", T0.plusSeconds(seconds), width);
    }

    Outcome book(CounterReading reading) {
        return ledger.book(List.of(reading)).get(0).outcome();
    }

    long booked() {
        return db.jdbc().queryForObject("SELECT COALESCE(SUM(delta), 0) FROM production_count_ledger", Map.of(), Long.class);
    }

    List<Map<String, Object>> counterEvents() {
        return db.jdbc().queryForList("SELECT kind, previous_value, new_value, booked_delta FROM counter_event ORDER BY id", Map.of());
    }

    /**
     * Hole 1: the incident. A reading stamped at the same time as the last booked one (a
     * second connection reading the same node, a replayed value) but lower must not be a reset.
     * Failed before: only a strictly older timestamp was stale; a lower value with an equal
     * timestamp was booked as a reset and its whole value (144) counted again.
     */
    @Test
    void hole1_lowerReadingWithSameSourceTime_isStaleNotReset() {
        book(at(0, 100));
        assertThat(book(at(10, 244))).isEqualTo(Outcome.BOOKED);
        assertThat(book(at(10, 144))).isEqualTo(Outcome.STALE);
        assertThat(booked()).isEqualTo(144);
        assertThat(counterEvents()).isEmpty();
        // the state stayed at 244: the next real reading books only its own increase
        assertThat(ledger.book(List.of(at(11, 250))).get(0).count().delta()).isEqualTo(6);
    }

    /**
     * Hole 1: a reading without a source timestamp cannot prove it is newer, so a lower value is
     * not a reset. Failed before: any lower value without a timestamp was booked as a reset.
     */
    @Test
    void hole1_lowerReadingWithoutSourceTime_isStale() {
        book(at(0, 100));
        CounterReading unstamped = new CounterReading(ASSET, CounterKind.GOOD, 7L, "PC", "1000011", "0010", null);
        assertThat(book(unstamped)).isEqualTo(Outcome.STALE);
        assertThat(booked()).isZero();
    }

    /**
     * Hole 1: a genuine reset (newer reading, lower value) is booked and recorded as an event with
     * both values. Failed before: there was no counter_event record, only a log line.
     */
    @Test
    void hole1_newerLowerReading_isResetRecordedWithBothValues() {
        book(at(0, 500));
        CounterBooking reset = ledger.book(List.of(at(5, 3))).get(0);
        assertThat(reset.outcome()).isEqualTo(Outcome.BOOKED);
        assertThat(reset.discontinuity()).isEqualTo(new Discontinuity(Discontinuity.Kind.RESET, 500, 3, 3));
        assertThat(counterEvents()).singleElement().satisfies(e -> {
            assertThat(value(e, "kind")).isEqualTo("RESET");
            assertThat(((Number) value(e, "previous_value")).longValue()).isEqualTo(500);
            assertThat(((Number) value(e, "new_value")).longValue()).isEqualTo(3);
        });
    }

    /**
     * Hole 2: a UInt16 counter that runs over 65535 books the parts across the wrap. Failed
     * before: the new value (4) was booked as if the counter had been reset: 7 parts became 4.
     */
    @Test
    void hole2_uint16Wrap_booksWrappedDifference() {
        book(at(0, 65_533, CounterWidth.UINT16));
        CounterBooking wrap = ledger.book(List.of(at(1, 4, CounterWidth.UINT16))).get(0);
        assertThat(wrap.count().delta()).isEqualTo(7);
        assertThat(wrap.discontinuity().kind()).isEqualTo(Discontinuity.Kind.WRAP);
        assertThat(booked()).isEqualTo(7);
    }

    /**
     * Hole 2: an Int16 counter goes from 32767 to -32768: a negative reading of a signed counter
     * is a wrap. Failed before: every negative reading was rejected, forever (the counter state
     * never moved again until the counter climbed above its last value).
     */
    @Test
    void hole2_int16NegativeReading_isWrapNotError() {
        book(at(0, 32_760, CounterWidth.INT16));
        assertThat(ledger.book(List.of(at(1, -32_766, CounterWidth.INT16))).get(0).count().delta()).isEqualTo(10);
        assertThat(ledger.book(List.of(at(2, -32_760, CounterWidth.INT16))).get(0).count().delta()).isEqualTo(6);
        assertThat(booked()).isEqualTo(16);
    }

    /** Hole 2: a UInt32 wrap; and a reset of a bounded counter from mid-range is still a reset, not half a range of parts. */
    @Test
    void hole2_uint32Wrap_andMidRangeResetStaysReset() {
        book(at(0, 4_294_967_290L, CounterWidth.UINT32));
        assertThat(ledger.book(List.of(at(1, 5, CounterWidth.UINT32))).get(0).count().delta()).isEqualTo(11);
        assertThat(ledger.book(List.of(at(2, 1_000_000, CounterWidth.UINT32))).get(0).count().delta()).isEqualTo(999_995);
        CounterBooking reset = ledger.book(List.of(at(3, 2, CounterWidth.UINT32))).get(0);
        assertThat(reset.discontinuity().kind()).isEqualTo(Discontinuity.Kind.RESET);
        assertThat(reset.count().delta()).isEqualTo(2);
        // a value outside the declared width is rejected with the field named
        assertThat(ledger.book(List.of(at(4, 70_000, CounterWidth.UINT16))).get(0).problem())
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("value=70000");
    }

    /**
     * Hole 10: an order id longer than SAP's 12 characters is reported, and counts after it are
     * not attributed to the order that ran before. Failed before: the write failed on the column,
     * the in-memory context kept the previous order, and the next counts were booked for it.
     */
    @Test
    void hole10_orderThatDoesNotFit_isReportedAndPreviousOrderIsNotKept() {
        OrderContext orders = new OrderContext(db.jdbc(), SHIPPED_REGISTRY);
        orders.updateOrder(ASSET, "1000011");
        orders.updateOperation(ASSET, "0010");
        assertThatThrownBy(() -> orders.updateOrder(ASSET, "1000012-EXTRA-LONG"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("orderId=1000012-EXTRA-LONG");
        assertThat(orders.current(ASSET).orElseThrow().isComplete()).isFalse();
        assertThat(orders.current(ASSET).orElseThrow().orderId()).isNull();
        // the same after a restart: the store holds "unknown", not the previous order
        assertThat(new OrderContext(db.jdbc(), SHIPPED_REGISTRY).current(ASSET).orElseThrow().orderId()).isNull();

        assertThatThrownBy(() -> orders.updateOperation(ASSET, "10 0")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("operation=10 0");
        orders.updateOrder(ASSET, "1000012");
        orders.updateOperation(ASSET, "0020");
        assertThat(orders.current(ASSET)).contains(new OrderContext.OrderOperation("1000012", "0020"));
    }

    /**
     * Issue 11, two hub instances on one database: the standby loaded the counter states at its start,
     * the leader booked on, then the standby took over. Its first reading must book only what was made
     * since the leader's last booking. Failed before: the standby's states in memory were those of its
     * start, and it booked the leader's parts again (here 140 instead of 20).
     */
    @Test
    void instancesBookingInTurn_neitherCountTheOthersPartsAgainNorLoseAny() {
        book(at(0, 100));
        CounterLedger standby = new CounterLedger(db.jdbc(), db.transactions()); // started while the leader ran
        assertThat(book(at(10, 220))).isEqualTo(Outcome.BOOKED); // the leader books 120, then dies
        assertThat(standby.book(List.of(at(20, 240))).get(0).count().delta()).as("the standby's first increment").isEqualTo(20);
        assertThat(booked()).isEqualTo(140);

        // a counter the standby never saw, baselined by the leader meanwhile
        CounterReading scrap = new CounterReading(ASSET, CounterKind.SCRAP, 5L, "PC", "1000011", "0010", T0.plusSeconds(30),
                CounterWidth.INT64);
        assertThat(book(scrap)).isEqualTo(Outcome.BASELINE);
        CounterReading scrapLater = new CounterReading(ASSET, CounterKind.SCRAP, 9L, "PC", "1000011", "0010",
                T0.plusSeconds(40), CounterWidth.INT64);
        assertThat(standby.book(List.of(scrapLater)).get(0).count().delta()).as("scrap after the leader's baseline").isEqualTo(4);
        assertThat(booked()).isEqualTo(144);
    }

    /**
     * Issue 7, edge + central: the central books what an edge counted as the increment it is, once per
     * CloudEvents id (unique key, V39), whatever sends the event again, without touching its own counter
     * states; the row keeps the edge's ids and source as lineage.
     */
    @Test
    void forwardedCountBookedOncePerEventId_andNotThroughTheCounterState() {
        ForwardedCount forwarded = new ForwardedCount("0193a1b2-0000-7000-8000-00000000000a", ASSET, "sparkplug://plant-1/line-1",
                "0193a1b2-0000-7000-8000-000000000001", T0, new io.millwright.model.ProductionCount("1000011", "0010",
                        CounterKind.GOOD, 7, 107, "PC"));
        assertThat(ledger.bookForwarded(forwarded)).as("first arrival").isTrue();
        assertThat(ledger.bookForwarded(forwarded)).as("the same event again (a resend, a resubmit)").isFalse();
        assertThat(new CounterLedger(db.jdbc(), db.transactions()).bookForwarded(forwarded)).as("again, after a restart").isFalse();
        assertThat(booked()).isEqualTo(7);
        // control: another event of the same order operation books its own increment
        assertThat(ledger.bookForwarded(new ForwardedCount("0193a1b2-0000-7000-8000-00000000000b", ASSET, "sparkplug://plant-1/line-1",
                null, T0.plusSeconds(1), new io.millwright.model.ProductionCount("1000011", "0010", CounterKind.GOOD, 3, 110, "PC"))))
                .isTrue();
        assertThat(booked()).isEqualTo(10);
        Map<String, Object> row = db.jdbc().queryForMap("SELECT order_id, operation, counter, unit, source_event_id, count_event_id,"
                + " source, source_value FROM production_count_ledger ORDER BY id FETCH FIRST 1 ROWS ONLY", Map.of());
        assertThat(value(row, "count_event_id")).isEqualTo(forwarded.eventId());
        assertThat(value(row, "source_event_id")).isEqualTo(forwarded.correlationId());
        assertThat(value(row, "source")).isEqualTo("sparkplug://plant-1/line-1");
        assertThat(value(row, "source_value")).isEqualTo("107");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM counter_state", Map.of(), Long.class)).as("no counter state").isZero();
        // a local reading of the same asset starts its own baseline: the forwarded increments are not a counter value
        assertThat(book(at(0, 500))).isEqualTo(Outcome.BASELINE);
    }

    private static Object value(Map<String, Object> row, String column) {
        return row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase());
    }
}
