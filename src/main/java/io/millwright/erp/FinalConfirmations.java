package io.millwright.erp;

import io.millwright.model.InvalidEventException;
import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Completes an order operation towards SAP: its last confirmation carries the final-confirmation
 * flag (ProdnOrdConf2 {@code FinalConfirmationType = "X"}, REFERENCE §1.1). Triggered by an
 * {@code order-completed} event or {@code POST /api/erp/orders/{order}/operations/{op}/final-confirmation}.
 *
 * <p>In one transaction: the operation's counts not yet confirmed become its final confirmation (or,
 * with none left, a final confirmation of zero quantities, as CO11N allows), and the operation is
 * recorded as complete. Queued confirmations of the operation reach SAP before it (the relay posts an
 * order's documents in order); counts that arrive afterwards are parked by the window with the reason,
 * and a partial confirmation resubmitted after the final one reached SAP is parked by the relay. A
 * second completion of the same operation changes nothing and answers the first one's final confirmation.
 */
@Service
public class FinalConfirmations {

    private static final Logger log = LoggerFactory.getLogger(FinalConfirmations.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ConfirmationWindow window;
    private final ConfirmationOutbox outbox;
    private final OperationCompletions completions;
    private final Clock clock;

    @Autowired
    public FinalConfirmations(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationWindow window,
            ConfirmationOutbox outbox, OperationCompletions completions) {
        this(jdbc, transaction, window, outbox, completions, Clock.systemUTC());
    }

    FinalConfirmations(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationWindow window,
            ConfirmationOutbox outbox, OperationCompletions completions, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.window = window;
        this.outbox = outbox;
        this.completions = completions;
        this.clock = clock;
    }

    /**
     * Queues the final confirmation of an order operation, once.
     *
     * @param origin who completed it, e.g. {@code order-completed event <id>} or {@code api user admin}
     * @return the final confirmation (the one queued earlier if the operation was complete already)
     * @throws InvalidEventException order or operation do not fit SAP's fields, or no unit is known for a zero confirmation
     */
    public ProductionConfirmation complete(String orderId, String operation, String origin) {
        validate(orderId, operation);
        try {
            return transaction.execute(status -> {
                var earlier = completions.find(orderId, operation);
                if (earlier.isPresent()) {
                    return outbox.find(earlier.get().finalKey()).map(OutboxEntry::confirmation).orElseThrow();
                }
                Instant now = clock.instant();
                ProductionConfirmation last = window.confirmRemainingAsFinal(orderId, operation, now);
                if (last == null) {
                    last = zeroFinal(orderId, operation, now);
                }
                completions.record(new OperationCompletions.Completion(orderId, operation, last.idempotencyKey(), origin, now));
                log.info("Order operation completed; final confirmation queued order={} operation={} key={} yield={} scrap={} origin={}",
                        orderId, operation, last.idempotencyKey(), last.yieldQuantity(), last.scrapQuantity(), origin);
                return last;
            });
        } catch (DuplicateKeyException e) {
            // completed at the same moment by another thread or hub: its final confirmation stands
            return completions.find(orderId, operation).flatMap(c -> outbox.find(c.finalKey())).map(OutboxEntry::confirmation)
                    .orElseThrow(() -> e);
        }
    }

    /** A final confirmation of zero quantities, in the unit of the operation's earlier confirmations or counts. */
    private ProductionConfirmation zeroFinal(String orderId, String operation, Instant now) {
        var params = new MapSqlParameterSource("orderId", orderId).addValue("operation", operation);
        List<String> units = jdbc.queryForList("""
                SELECT unit FROM confirmation_outbox WHERE order_id = :orderId AND operation = :operation
                AND document_type = 'production-confirmation' ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY
                """, params, String.class);
        if (units.isEmpty()) {
            units = jdbc.queryForList("""
                    SELECT unit FROM production_count_ledger WHERE order_id = :orderId AND operation = :operation
                    ORDER BY id DESC FETCH FIRST 1 ROWS ONLY
                    """, params, String.class);
        }
        if (units.isEmpty()) {
            throw InvalidEventException.field("operation", operation, "order " + orderId + " operation " + operation
                    + " has no counts and no confirmations, so the unit of a final confirmation is not known;"
                    + " confirm it in SAP directly");
        }
        String assetPath = jdbc.queryForList("""
                SELECT asset_path FROM production_count_ledger WHERE order_id = :orderId AND operation = :operation
                ORDER BY id DESC FETCH FIRST 1 ROWS ONLY
                """, params, String.class).stream().findFirst().orElse(null);
        var confirmation = new ProductionConfirmation(orderId, operation, BigDecimal.ZERO, BigDecimal.ZERO, units.get(0), true,
                window.postingDate(assetPath, now), "MW-" + orderId + "-" + operation + "-FINAL");
        if (!outbox.enqueue(confirmation)) {
            throw new IllegalStateException("final confirmation " + confirmation.idempotencyKey() + " is in the outbox already"
                    + " but its operation is not recorded as complete");
        }
        return confirmation;
    }

    private static void validate(String orderId, String operation) {
        if (orderId == null || orderId.isBlank() || orderId.length() > 12) {
            throw InvalidEventException.field("orderId", orderId, "must be an SAP order number of 1 to 12 characters");
        }
        if (operation == null || !operation.matches("\\d{1,4}")) {
            throw InvalidEventException.field("operation", operation, "must be an SAP operation of 1 to 4 digits, e.g. 0010");
        }
    }
}
