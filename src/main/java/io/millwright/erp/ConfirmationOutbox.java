package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ERP outbox (table {@code confirmation_outbox}): confirmations, and every other document
 * type the hub posts ({@link ErpDocument}: goods movements, maintenance notifications), wait here
 * until SAP holds them. Enqueue it in the same transaction as the state that produced the confirmation; the relay
 * does the rest. Keyed by the confirmation's idempotency key.
 *
 * <p>A relay posts only a row it {@linkplain #claim claimed}: one conditional UPDATE, atomic on
 * H2 and PostgreSQL alike, that succeeds for one relay only, with a lease that expires so a crashed
 * relay does not hold a row for ever (issue 8, hole 3). The claim returns the row as it is after the
 * claim, so a relay never decides on an attempt count another relay has since raised.
 */
@Repository
public class ConfirmationOutbox {

    private static final int MAX_ERROR = 2000;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public ConfirmationOutbox(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.clock = Clock.systemUTC();
    }

    /**
     * Adds a confirmation as PENDING unless one with the same key is there already.
     *
     * @return true if added, false if the key was known (nothing changed)
     */
    public boolean enqueue(ProductionConfirmation confirmation) {
        try {
            return jdbc.update("""
                    INSERT INTO confirmation_outbox (idempotency_key, order_id, operation, yield_quantity, scrap_quantity,
                        unit, posting_date, final_confirmation, status, attempts, created_at, updated_at)
                    SELECT :key, :orderId, :operation, :yield, :scrap, :unit, :postingDate, :final, 'PENDING', 0, :now, :now
                    WHERE NOT EXISTS (SELECT 1 FROM confirmation_outbox WHERE idempotency_key = :key)
                    """, params(confirmation)) == 1;
        } catch (DuplicateKeyException e) {
            // a concurrent enqueue of the same key won: same outcome as "already there"
            return false;
        }
    }

    /**
     * Adds a document of another type (goods movement, maintenance notification) as PENDING unless
     * one with the same key is there already. Call it in the transaction of the state that produced it.
     *
     * @return true if added, false if the key was known (nothing changed)
     */
    public boolean enqueue(ErpDocument document) {
        try {
            return jdbc.update("""
                    INSERT INTO confirmation_outbox (idempotency_key, document_type, order_id, operation, document, status, attempts,
                        created_at, updated_at)
                    SELECT :key, :type, :orderId, :operation, :document, 'PENDING', 0, :now, :now
                    WHERE NOT EXISTS (SELECT 1 FROM confirmation_outbox WHERE idempotency_key = :key)
                    """, new MapSqlParameterSource("key", document.idempotencyKey())
                    .addValue("type", document.documentType())
                    .addValue("orderId", document.orderId())
                    .addValue("operation", document.operation())
                    .addValue("document", document.entity().toString())
                    .addValue("now", Timestamp.from(clock.instant()))) == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Names the document a derived one (a goods issue) was built from, for its lineage; in the caller's transaction. */
    void linkSource(String key, String sourceKey) {
        jdbc.update("UPDATE confirmation_outbox SET source_key = :source WHERE idempotency_key = :key",
                new MapSqlParameterSource("key", key).addValue("source", sourceKey));
    }

    /** How many documents of every type are pending. */
    public long pendingCount() {
        Long count = jdbc.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM confirmation_outbox WHERE status = 'PENDING'",
                Long.class);
        return count == null ? 0 : count;
    }

    /** Pending confirmations, oldest first. */
    public List<OutboxEntry> pending(int limit) {
        return jdbc.query("""
                SELECT * FROM confirmation_outbox WHERE status = 'PENDING'
                ORDER BY created_at, idempotency_key FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("limit", limit), ConfirmationOutbox::map);
    }

    /**
     * The oldest pending row of each order, oldest first, at most {@code limit} orders: one order
     * that SAP keeps refusing or that waits for a back-off never hides the others (issue 8, hole 6),
     * and each order's confirmations still reach SAP in their order.
     */
    public List<OutboxEntry> oldestPendingPerOrder(int limit) {
        return jdbc.query("""
                SELECT * FROM confirmation_outbox o WHERE o.status = 'PENDING'
                AND NOT EXISTS (SELECT 1 FROM confirmation_outbox p WHERE p.status = 'PENDING' AND p.order_id = o.order_id
                    AND (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.idempotency_key < o.idempotency_key)))
                ORDER BY o.created_at, o.idempotency_key FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("limit", limit), ConfirmationOutbox::map);
    }

    /**
     * Claims a pending row for one relay until {@code until}, if no other relay holds an unexpired
     * claim on it.
     *
     * @return the row as it is now, claimed by {@code relayId}; empty if another relay holds it or it is no longer pending
     */
    public Optional<OutboxEntry> claim(String idempotencyKey, String relayId, Instant now, Instant until) {
        int claimed = jdbc.update("""
                UPDATE confirmation_outbox SET claimed_by = :relay, claimed_until = :until
                WHERE idempotency_key = :key AND status = 'PENDING'
                AND (claimed_until IS NULL OR claimed_until < :now OR claimed_by = :relay)
                """, new MapSqlParameterSource("key", idempotencyKey)
                .addValue("relay", relayId)
                .addValue("until", Timestamp.from(until))
                .addValue("now", Timestamp.from(now)));
        return claimed == 1 ? find(idempotencyKey) : Optional.empty();
    }

    /** Gives up a claim without a verdict (the row was not due after all). */
    public void release(String idempotencyKey, String relayId) {
        jdbc.update("""
                UPDATE confirmation_outbox SET claimed_by = NULL, claimed_until = NULL
                WHERE idempotency_key = :key AND claimed_by = :relay
                """, new MapSqlParameterSource("key", idempotencyKey).addValue("relay", relayId));
    }

    /** A read-back found nothing: from now on the attempt count alone decides whether to read back. */
    public void markReadBack(String idempotencyKey) {
        update("UPDATE confirmation_outbox SET read_back_first = FALSE, updated_at = :now WHERE idempotency_key = :key",
                idempotencyKey, null);
    }

    public Optional<OutboxEntry> find(String idempotencyKey) {
        return jdbc.query("SELECT * FROM confirmation_outbox WHERE idempotency_key = :key",
                new MapSqlParameterSource("key", idempotencyKey), ConfirmationOutbox::map).stream().findFirst();
    }

    /** Counts a POST attempt before it is sent, so a crash mid-call still leads to a read-back. */
    public void markAttempt(String idempotencyKey) {
        update("""
                UPDATE confirmation_outbox SET attempts = attempts + 1, last_attempt_at = :now, read_back_first = FALSE,
                    updated_at = :now WHERE idempotency_key = :key
                """, idempotencyKey, null);
    }

    public void markPosted(String idempotencyKey, PostedConfirmation posted) {
        markPosted(idempotencyKey, ErpDocumentKey.of(posted));
    }

    /** SAP holds the document under {@code erpDocument} (a confirmation's group and count also go to their own columns). */
    public void markPosted(String idempotencyKey, ErpDocumentKey erpDocument) {
        jdbc.update("""
                UPDATE confirmation_outbox SET status = 'POSTED', last_error = NULL, sap_confirmation_group = :group,
                    sap_confirmation_count = :count, erp_document = :erpDocument, claimed_by = NULL, claimed_until = NULL,
                    updated_at = :now
                WHERE idempotency_key = :key
                """, new MapSqlParameterSource("key", idempotencyKey)
                .addValue("group", erpDocument.get("ConfirmationGroup"))
                .addValue("count", erpDocument.get("ConfirmationCount"))
                .addValue("erpDocument", ErpDocumentJson.toJson(erpDocument))
                .addValue("now", Timestamp.from(clock.instant())));
    }

    /** SAP refused it: it waits for a person (and is in the dead-letter store). */
    public void markParked(String idempotencyKey, String reason) {
        update("""
                UPDATE confirmation_outbox SET status = 'PARKED', last_error = :error, claimed_by = NULL, claimed_until = NULL,
                    updated_at = :now WHERE idempotency_key = :key
                """, idempotencyKey, reason);
    }

    /**
     * SAP gave no verdict: stays PENDING with the reason, unclaimed; retried after a back-off.
     *
     * @param answered SAP answered (it is done with the request, a read-back is reliable at once); when false,
     *        the time of the last POST stays and the read-back waits for SAP's processing timeout after it
     */
    public void markWaiting(String idempotencyKey, String reason, boolean answered) {
        update(answered ? """
                UPDATE confirmation_outbox SET last_error = :error, claimed_by = NULL, claimed_until = NULL,
                    last_attempt_at = NULL, updated_at = :now
                WHERE idempotency_key = :key AND status = 'PENDING'
                """ : """
                UPDATE confirmation_outbox SET last_error = :error, claimed_by = NULL, claimed_until = NULL, updated_at = :now
                WHERE idempotency_key = :key AND status = 'PENDING'
                """, idempotencyKey, reason);
    }

    /**
     * Puts a parked confirmation back in the queue (after its cause was fixed in SAP); adds it if
     * the outbox does not know it. Either way it is read back before any POST (issue 8, hole 4): a
     * person may have booked it in SAP meanwhile, or an earlier attempt may have reached SAP. The
     * attempt count is kept.
     *
     * @return true if it is now pending
     */
    public boolean requeue(ProductionConfirmation confirmation) {
        return requeue(confirmation.idempotencyKey(), () -> enqueue(confirmation));
    }

    /** As {@link #requeue(ProductionConfirmation)}, for a document of another type. */
    public boolean requeue(ErpDocument document) {
        return requeue(document.idempotencyKey(), () -> enqueue(document));
    }

    /** A parked row back to pending, read back first; a row that no longer exists is enqueued again. */
    private boolean requeue(String key, java.util.function.BooleanSupplier enqueue) {
        int updated = update("""
                UPDATE confirmation_outbox SET status = 'PENDING', read_back_first = TRUE, last_error = NULL,
                    claimed_by = NULL, claimed_until = NULL, updated_at = :now
                WHERE idempotency_key = :key AND status = 'PARKED'
                """, key, null);
        if (updated == 1) {
            return true;
        }
        if (enqueue.getAsBoolean()) {
            update("UPDATE confirmation_outbox SET read_back_first = TRUE WHERE idempotency_key = :key", key, null);
            return true;
        }
        return false;
    }

    private int update(String sql, String key, String error) {
        return jdbc.update(sql, new MapSqlParameterSource("key", key)
                .addValue("error", truncate(error))
                .addValue("now", Timestamp.from(clock.instant())));
    }

    private MapSqlParameterSource params(ProductionConfirmation c) {
        return new MapSqlParameterSource("key", c.idempotencyKey())
                .addValue("orderId", c.orderId())
                .addValue("operation", c.operation())
                .addValue("yield", c.yieldQuantity())
                .addValue("scrap", c.scrapQuantity())
                .addValue("unit", c.unit())
                .addValue("postingDate", Date.valueOf(c.postingDate()))
                .addValue("final", c.finalConfirmation())
                .addValue("now", Timestamp.from(clock.instant()));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }

    private static OutboxEntry map(ResultSet rs, int row) throws SQLException {
        String group = rs.getString("sap_confirmation_group");
        String type = rs.getString("document_type");
        String key = rs.getString("idempotency_key");
        ProductionConfirmation confirmation = !ConfirmationDocumentType.NAME.equals(type) ? null
                : new ProductionConfirmation(
                        rs.getString("order_id"),
                        rs.getString("operation"),
                        rs.getBigDecimal("yield_quantity"),
                        rs.getBigDecimal("scrap_quantity"),
                        rs.getString("unit"),
                        rs.getBoolean("final_confirmation"),
                        rs.getDate("posting_date").toLocalDate(),
                        key);
        return new OutboxEntry(
                type,
                key,
                rs.getString("order_id"),
                rs.getString("operation"),
                confirmation,
                rs.getString("document"),
                OutboxEntry.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                group == null ? null : new PostedConfirmation(group, rs.getString("sap_confirmation_count")),
                ErpDocumentJson.key(rs.getString("erp_document")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                instant(rs.getTimestamp("last_attempt_at")),
                rs.getBoolean("read_back_first"),
                rs.getString("claimed_by"),
                instant(rs.getTimestamp("claimed_until")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
