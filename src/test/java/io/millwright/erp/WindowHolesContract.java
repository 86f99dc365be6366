package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.model.Parked;
import io.millwright.model.ProductionConfirmation;
import io.millwright.testsupport.TestDatabase;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Issue 8, holes 7 and 9: the confirmation window on a real store ({@link WindowHolesH2Test},
 * {@link WindowHolesPostgresIT}).
 */
abstract class WindowHolesContract {

    static final String ASSET = "acme/springfield/assembly/line-1/machine-1";
    static final Instant CLOSED_AT = Instant.parse("2026-11-30T23:30:00Z");

    TestDatabase db;
    ConfirmationOutbox outbox;
    DeadLetterStore deadLetters;
    final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();

    abstract TestDatabase openDatabase();

    @BeforeEach
    void open() {
        db = openDatabase();
        outbox = new ConfirmationOutbox(db.jdbc());
        deadLetters = new DeadLetterStore(db.jdbc());
    }

    @AfterEach
    void close() {
        db.close();
    }

    ConfirmationWindow window(ZoneId plantZone, Map<String, ZoneId> siteZones) {
        ErpProperties settings = new ErpProperties("http://127.0.0.1:1/sap", null, null, "", Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(5), 50, null, null,
                plantZone, siteZones);
        return new ConfirmationWindow(db.jdbc(), db.transactions(), outbox, Clock.fixed(CLOSED_AT, ZoneOffset.UTC), settings);
    }

    void count(String asset, String order, String counter, long delta, String unit) {
        db.jdbc().update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at)
                VALUES (:asset, :order, '0010', :counter, :delta, :unit, :at)
                """, new MapSqlParameterSource("asset", asset).addValue("order", order).addValue("counter", counter)
                .addValue("delta", delta).addValue("unit", unit).addValue("at", Timestamp.from(CLOSED_AT)));
    }

    Consumer<List<Parked>> intoDeadLetters() {
        return parked -> parked.forEach(p -> {
            try {
                deadLetters.park(p.routeId(), p.resubmitEndpoint(), p.reason(), p.exceptionClass(), p.correlationId(),
                        json.writeValueAsString(p.payload()), "{}");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    long unconfirmed(String order) {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM production_count_ledger WHERE confirmation_key IS NULL AND order_id = :o",
                new MapSqlParameterSource("o", order), Long.class);
    }

    /**
     * Hole 7: a group whose sum does not fit SAP's Decimal(13,3) is parked with the reason; the
     * other groups of the window are queued. Failed before: the whole window was one transaction,
     * the overflowing insert rolled it back, and no order was ever confirmed again.
     */
    @Test
    void hole7_overflowingGroupParked_otherGroupsQueued() throws Exception {
        count(ASSET, "3000001", "GOOD", 6_000_000_000L, "PC");
        count(ASSET, "3000001", "GOOD", 6_000_000_000L, "PC");
        count(ASSET, "3000002", "GOOD", 12, "PC");

        List<ProductionConfirmation> queued = window(ZoneOffset.UTC, Map.of()).close(intoDeadLetters());

        assertThat(queued).extracting(ProductionConfirmation::orderId).containsExactly("3000002");
        assertThat(unconfirmed("3000001")).as("parked, not left for every window").isZero();
        DeadLetter parked = deadLetters.list(DeadLetter.Status.PARKED, 10).get(0);
        assertThat(parked.reason()).contains("order 3000001").contains("yieldQuantity=12000000000").contains("Decimal(13,3)");
        assertThat(parked.endpointUri()).isEqualTo(ConfirmationWindow.RELEASE);

        // resubmitting it releases the counts to the next window (where an operator can split or discard them)
        var group = json.readValue(parked.payload(), ConfirmationWindow.ParkedGroup.class);
        assertThat(window(ZoneOffset.UTC, Map.of()).release(group)).isEqualTo(2);
        assertThat(unconfirmed("3000001")).isEqualTo(2);
    }

    /**
     * Hole 7: counts of one order operation in two units cannot be one confirmation: parked with
     * the reason. Failed before: MIN(unit) silently confirmed 5 KG + 7 PC as 12 KG.
     */
    @Test
    void hole7_groupWithTwoUnitsParked() {
        count(ASSET, "3000003", "GOOD", 5, "KG");
        count("acme/springfield/assembly/line-1/machine-2", "3000003", "GOOD", 7, "PC");

        assertThat(window(ZoneOffset.UTC, Map.of()).close(intoDeadLetters())).isEmpty();
        assertThat(outbox.pending(10)).isEmpty();
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("more than one unit"));
    }

    /**
     * Hole 7: when even parking fails, the group stays unconfirmed for the next window and the
     * others are still queued: nothing is lost, nothing blocks.
     */
    @Test
    void hole7_groupStaysForNextWindow_whenParkingFails() {
        count(ASSET, "3000004", "GOOD", 6_000_000_000L, "PC");
        count(ASSET, "3000004", "GOOD", 6_000_000_000L, "PC");
        count(ASSET, "3000005", "GOOD", 1, "PC");

        List<ProductionConfirmation> queued = window(ZoneOffset.UTC, Map.of()).close(parked -> {
            throw new IllegalStateException("dead-letter store down");
        });
        assertThat(queued).extracting(ProductionConfirmation::orderId).containsExactly("3000005");
        assertThat(unconfirmed("3000004")).isEqualTo(2);
    }

    /**
     * Hole 9: the posting date is the day in the plant's time zone. At 23:30 UTC it is already
     * the next day in Berlin and still the same day in Chicago (a site override). Failed before:
     * the date was taken in UTC for every plant.
     */
    @Test
    void hole9_postingDateInPlantTimeZone_perSite() {
        count(ASSET, "3000006", "GOOD", 3, "PC");
        count("acme/chicago/assembly/line-1/machine-1", "3000007", "GOOD", 4, "PC");

        List<ProductionConfirmation> queued = window(ZoneId.of("Europe/Berlin"), Map.of("chicago", ZoneId.of("America/Chicago")))
                .close(intoDeadLetters());

        assertThat(queued).extracting(ProductionConfirmation::orderId, ProductionConfirmation::postingDate).containsExactly(
                org.assertj.core.groups.Tuple.tuple("3000006", LocalDate.of(2026, 12, 1)),
                org.assertj.core.groups.Tuple.tuple("3000007", LocalDate.of(2026, 11, 30)));
        assertThat(outbox.find(queued.get(0).idempotencyKey()).orElseThrow().confirmation().postingDate())
                .isEqualTo(LocalDate.of(2026, 12, 1));
    }
}
