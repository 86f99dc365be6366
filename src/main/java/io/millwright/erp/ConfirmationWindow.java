package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Consumer;
import io.millwright.model.InvalidEventException;
import io.millwright.model.Parked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes a confirmation window: sums the unconfirmed ledger increments per order operation into
 * one {@link ProductionConfirmation} each and queues it in the ERP outbox, in one transaction
 * with marking those increments as taken, so that every counted part is confirmed exactly once.
 *
 * <p>The idempotency key is {@code MW-<order>-<operation>-<last ledger id taken>}: unique for
 * ever (a ledger row is taken once), at most 40 characters (it travels in SAP's
 * ConfirmationText), and stored in the outbox so the relay can find a posted confirmation in the
 * ERP again. Ledger rows are written one at a time by the {@link CounterLedger}, so ids grow in
 * commit order and "up to the last id" is a consistent cut.
 *
 * <p>Each order operation closes in its own transaction (issue 8, hole 7): a group that cannot be
 * confirmed (a sum beyond SAP's Decimal(13,3), counts in two units, an order or operation SAP
 * cannot take) is parked on its own, its ledger rows marked {@code PARKED-...} and a dead letter
 * written in the same transaction; a resubmit releases the rows to the next window. The posting
 * date is the day in the plant's time zone ({@link ErpProperties#postingZone}), not UTC (hole 9).
 */
@Component
public class ConfirmationWindow {

    /** Where a resubmitted parked group goes: its ledger rows are released to the next window. */
    public static final String RELEASE = "direct:erp-confirmation-window-release";
    /** Route id that parks groups (the dead letters name it). */
    public static final String ROUTE_ID = "erp-confirmation-window";

    /** SAP's Edm.Decimal(13,3): at most 10 digits before the point. */
    static final BigDecimal MAX_QUANTITY = new BigDecimal("9999999999.999");

    /** A parked group as its dead letter keeps it: resubmitting it releases these ledger rows. */
    public record ParkedGroup(String orderId, String operation, long lastLedgerId, String parkedKey) {}

    private static final Logger log = LoggerFactory.getLogger(ConfirmationWindow.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ConfirmationOutbox outbox;
    private final Clock clock;
    private final ErpProperties settings;
    private GoodsIssues goodsIssues;

    /** A window whose posting dates are in the JVM's time zone. */
    public ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox) {
        this(jdbc, transaction, outbox, Clock.systemUTC(), null);
    }

    @Autowired
    public ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox,
            ErpProperties settings) {
        this(jdbc, transaction, outbox, Clock.systemUTC(), settings);
    }

    ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox, Clock clock) {
        this(jdbc, transaction, outbox, clock, null);
    }

    ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox, Clock clock,
            ErpProperties settings) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.clock = clock;
        this.settings = settings;
    }

    /** Goods issues for the material of each confirmation queued (from the bill of materials); none if not set. */
    @Autowired(required = false)
    void setGoodsIssues(GoodsIssues goodsIssues) {
        this.goodsIssues = goodsIssues;
    }

    /**
     * Queues one confirmation per order operation with unconfirmed counts; a group that cannot be
     * confirmed stays unconfirmed (it is tried again at the next window) and is logged.
     */
    public List<ProductionConfirmation> close() {
        return close(parked -> {
            throw new IllegalStateException("no dead-letter store to park in");
        });
    }

    /**
     * Queues one confirmation per order operation with unconfirmed counts, each group in its own
     * transaction; a group that cannot be confirmed is parked with {@code park} (called in that
     * group's transaction, so the dead letter and the parked rows commit together).
     *
     * @return what was queued
     */
    public List<ProductionConfirmation> close(Consumer<List<Parked>> park) {
        Instant closedAt = clock.instant();
        List<Map<String, Object>> groups = jdbc.queryForList("""
                SELECT order_id, operation, MIN(asset_path) AS asset_path, MAX(id) AS last_id
                FROM production_count_ledger WHERE confirmation_key IS NULL
                GROUP BY order_id, operation ORDER BY order_id, operation
                """, Map.of());
        List<ProductionConfirmation> queued = new ArrayList<>();
        for (Map<String, Object> group : groups) {
            String orderId = (String) group.get("order_id");
            String operation = (String) group.get("operation");
            long lastId = ((Number) group.get("last_id")).longValue();
            try {
                ProductionConfirmation confirmation = transaction.execute(
                        status -> confirmGroup(orderId, operation, lastId, (String) group.get("asset_path"), closedAt, false));
                if (confirmation != null) {
                    queued.add(confirmation);
                }
            } catch (RuntimeException e) {
                parkGroup(orderId, operation, lastId, e, park);
            }
        }
        return queued;
    }

    /**
     * The final confirmation of an order operation from its unconfirmed counts, in the caller's
     * transaction ({@link FinalConfirmations}); null when it has none.
     */
    ProductionConfirmation confirmRemainingAsFinal(String orderId, String operation, Instant closedAt) {
        Map<String, Object> group = jdbc.queryForMap("""
                SELECT MIN(asset_path) AS asset_path, MAX(id) AS last_id FROM production_count_ledger
                WHERE confirmation_key IS NULL AND order_id = :orderId AND operation = :operation
                """, new MapSqlParameterSource("orderId", orderId).addValue("operation", operation));
        if (group.get("last_id") == null) {
            return null;
        }
        return confirmGroup(orderId, operation, ((Number) group.get("last_id")).longValue(), (String) group.get("asset_path"),
                closedAt, true);
    }

    /** The posting date of a confirmation from this asset closed at this instant: the day in the plant's zone. */
    LocalDate postingDate(String assetPath, Instant closedAt) {
        return LocalDate.ofInstant(closedAt, settings == null ? ZoneId.systemDefault() : settings.postingZone(assetPath));
    }

    private ProductionConfirmation confirmGroup(String orderId, String operation, long lastId, String assetPath, Instant closedAt,
            boolean finalConfirmation) {
        List<String> finalKeys = jdbc.queryForList(
                "SELECT final_key FROM erp_operation_completion WHERE order_id = :orderId AND operation = :operation",
                new MapSqlParameterSource("orderId", orderId).addValue("operation", operation), String.class);
        if (!finalKeys.isEmpty()) {
            throw InvalidEventException.field("operation", operation, "order " + orderId + " operation " + operation
                    + " was finally confirmed by " + finalKeys.get(0) + "; counts after the final confirmation are not posted:"
                    + " reopen the operation in SAP (cancel the final confirmation) and resubmit, or discard");
        }
        String key = "MW-" + orderId + "-" + operation + "-" + lastId;
        var params = new MapSqlParameterSource("orderId", orderId).addValue("operation", operation)
                .addValue("key", key).addValue("lastId", lastId);
        int taken = jdbc.update("""
                UPDATE production_count_ledger SET confirmation_key = :key
                WHERE confirmation_key IS NULL AND order_id = :orderId AND operation = :operation AND id <= :lastId
                """, params);
        if (taken == 0) {
            return null;
        }
        Map<String, Object> sums = jdbc.queryForMap("""
                SELECT COALESCE(SUM(CASE WHEN counter = 'GOOD' THEN delta ELSE 0 END), 0) AS yield_quantity,
                       COALESCE(SUM(CASE WHEN counter = 'SCRAP' THEN delta ELSE 0 END), 0) AS scrap_quantity,
                       MIN(unit) AS unit, COUNT(DISTINCT unit) AS units
                FROM production_count_ledger WHERE confirmation_key = :key
                """, params);
        BigDecimal yield = new BigDecimal(sums.get("yield_quantity").toString());
        BigDecimal scrap = new BigDecimal(sums.get("scrap_quantity").toString());
        if (yield.compareTo(MAX_QUANTITY) > 0) {
            throw InvalidEventException.field("yieldQuantity", yield, "exceeds SAP's Decimal(13,3) for order " + orderId
                    + " operation " + operation);
        }
        if (scrap.compareTo(MAX_QUANTITY) > 0) {
            throw InvalidEventException.field("scrapQuantity", scrap, "exceeds SAP's Decimal(13,3) for order " + orderId
                    + " operation " + operation);
        }
        if (((Number) sums.get("units")).intValue() > 1) {
            throw InvalidEventException.field("unit", sums.get("unit"), "order " + orderId + " operation " + operation
                    + " has counts in more than one unit; one confirmation carries one unit (check the counters' unit in mappings/assets.yaml)");
        }
        var confirmation = new ProductionConfirmation(orderId, operation, yield, scrap, (String) sums.get("unit"), finalConfirmation,
                postingDate(assetPath, closedAt), key);
        if (!outbox.enqueue(confirmation)) {
            throw new IllegalStateException("confirmation key " + key + " is already in the outbox; ledger rows were taken twice");
        }
        if (goodsIssues != null) {
            // the material these parts consumed, in the same transaction: issued exactly once
            goodsIssues.enqueueFor(confirmation);
        }
        log.debug("Confirmation queued key={} order={} operation={} yield={} scrap={} unit={} postingDate={}", key, orderId,
                operation, yield, scrap, confirmation.unit(), confirmation.postingDate());
        return confirmation;
    }

    private void parkGroup(String orderId, String operation, long lastId, RuntimeException cause, Consumer<List<Parked>> park) {
        String parkedKey = "PARKED-" + orderId + "-" + operation + "-" + lastId;
        try {
            transaction.executeWithoutResult(status -> {
                jdbc.update("""
                        UPDATE production_count_ledger SET confirmation_key = :parkedKey
                        WHERE confirmation_key IS NULL AND order_id = :orderId AND operation = :operation AND id <= :lastId
                        """, new MapSqlParameterSource("orderId", orderId).addValue("operation", operation)
                        .addValue("lastId", lastId).addValue("parkedKey", parkedKey));
                park.accept(List.of(new Parked(ROUTE_ID, RELEASE, "confirmation window of order " + orderId + " operation "
                        + operation + " parked: " + cause.getMessage(), cause.getClass().getName(), parkedKey,
                        new ParkedGroup(orderId, operation, lastId, parkedKey))));
            });
            log.warn("Confirmation group parked order={} operation={} key={} reason={}", orderId, operation, parkedKey, cause.getMessage());
        } catch (RuntimeException e) {
            log.error("Confirmation group could not be confirmed nor parked; tried again at the next window order={} operation={} reason={} parkFailure={}",
                    orderId, operation, cause.getMessage(), e.getMessage());
        }
    }

    /**
     * A resubmitted parked group: its ledger rows go back to the next window.
     *
     * @return how many ledger rows were released
     */
    public int release(ParkedGroup group) {
        int released = jdbc.update("UPDATE production_count_ledger SET confirmation_key = NULL WHERE confirmation_key = :key",
                new MapSqlParameterSource("key", group.parkedKey()));
        log.info("Parked confirmation group released to the next window key={} rows={}", group.parkedKey(), released);
        return released;
    }
}
