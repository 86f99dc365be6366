package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 */
@Component
public class ConfirmationWindow {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationWindow.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ConfirmationOutbox outbox;
    private final Clock clock;

    @Autowired
    public ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox) {
        this(jdbc, transaction, outbox, Clock.systemUTC());
    }

    ConfirmationWindow(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Queues one confirmation per order operation with unconfirmed counts; returns what was queued. */
    public List<ProductionConfirmation> close() {
        Instant closedAt = clock.instant();
        return transaction.execute(status -> {
            List<ProductionConfirmation> queued = new ArrayList<>();
            List<Map<String, Object>> groups = jdbc.queryForList("""
                    SELECT order_id, operation, MIN(unit) AS unit FROM production_count_ledger
                    WHERE confirmation_key IS NULL GROUP BY order_id, operation ORDER BY order_id, operation
                    """, Map.of());
            for (Map<String, Object> group : groups) {
                String orderId = (String) group.get("order_id");
                String operation = (String) group.get("operation");
                var params = new MapSqlParameterSource("orderId", orderId).addValue("operation", operation);
                Long lastId = jdbc.queryForObject("""
                        SELECT MAX(id) FROM production_count_ledger
                        WHERE confirmation_key IS NULL AND order_id = :orderId AND operation = :operation
                        """, params, Long.class);
                String key = "MW-" + orderId + "-" + operation + "-" + lastId;
                params.addValue("key", key).addValue("lastId", lastId);
                jdbc.update("""
                        UPDATE production_count_ledger SET confirmation_key = :key
                        WHERE confirmation_key IS NULL AND order_id = :orderId AND operation = :operation AND id <= :lastId
                        """, params);
                Map<String, Object> sums = jdbc.queryForMap("""
                        SELECT COALESCE(SUM(CASE WHEN counter = 'GOOD' THEN delta ELSE 0 END), 0) AS yield_quantity,
                               COALESCE(SUM(CASE WHEN counter = 'SCRAP' THEN delta ELSE 0 END), 0) AS scrap_quantity
                        FROM production_count_ledger WHERE confirmation_key = :key
                        """, params);
                var confirmation = new ProductionConfirmation(orderId, operation,
                        new BigDecimal(sums.get("yield_quantity").toString()),
                        new BigDecimal(sums.get("scrap_quantity").toString()),
                        (String) group.get("unit"), false, LocalDate.ofInstant(closedAt, ZoneOffset.UTC), key);
                if (!outbox.enqueue(confirmation)) {
                    throw new IllegalStateException("confirmation key " + key + " is already in the outbox; ledger rows were taken twice");
                }
                queued.add(confirmation);
                log.debug("Confirmation queued key={} order={} operation={} yield={} scrap={} unit={}", key, orderId,
                        operation, confirmation.yieldQuantity(), confirmation.scrapQuantity(), confirmation.unit());
            }
            return queued;
        });
    }
}
