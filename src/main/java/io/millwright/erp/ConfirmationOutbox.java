package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ERP outbox (table {@code confirmation_outbox}): confirmations wait here until SAP holds
 * them. Enqueue it in the same transaction as the state that produced the confirmation; the relay
 * does the rest. Keyed by the confirmation's idempotency key.
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
                        unit, posting_date, status, attempts, created_at, updated_at)
                    SELECT :key, :orderId, :operation, :yield, :scrap, :unit, :postingDate, 'PENDING', 0, :now, :now
                    WHERE NOT EXISTS (SELECT 1 FROM confirmation_outbox WHERE idempotency_key = :key)
                    """, params(confirmation)) == 1;
        } catch (DuplicateKeyException e) {
            // a concurrent enqueue of the same key won: same outcome as "already there"
            return false;
        }
    }

    /** Pending confirmations, oldest first. */
    public List<OutboxEntry> pending(int limit) {
        return jdbc.query("""
                SELECT * FROM confirmation_outbox WHERE status = 'PENDING'
                ORDER BY created_at, idempotency_key FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("limit", limit), ConfirmationOutbox::map);
    }

    public Optional<OutboxEntry> find(String idempotencyKey) {
        return jdbc.query("SELECT * FROM confirmation_outbox WHERE idempotency_key = :key",
                new MapSqlParameterSource("key", idempotencyKey), ConfirmationOutbox::map).stream().findFirst();
    }

    /** Counts a POST attempt before it is sent, so a crash mid-call still leads to a read-back. */
    public void markAttempt(String idempotencyKey) {
        update("UPDATE confirmation_outbox SET attempts = attempts + 1, updated_at = :now WHERE idempotency_key = :key",
                idempotencyKey, null);
    }

    public void markPosted(String idempotencyKey, PostedConfirmation posted) {
        jdbc.update("""
                UPDATE confirmation_outbox SET status = 'POSTED', last_error = NULL, sap_confirmation_group = :group,
                    sap_confirmation_count = :count, updated_at = :now
                WHERE idempotency_key = :key
                """, new MapSqlParameterSource("key", idempotencyKey)
                .addValue("group", posted.confirmationGroup())
                .addValue("count", posted.confirmationCount())
                .addValue("now", Timestamp.from(clock.instant())));
    }

    /** SAP refused it: it waits for a person (and is in the dead-letter store). */
    public void markParked(String idempotencyKey, String reason) {
        update("UPDATE confirmation_outbox SET status = 'PARKED', last_error = :error, updated_at = :now WHERE idempotency_key = :key",
                idempotencyKey, reason);
    }

    /** SAP gave no verdict: stays PENDING with the reason; retried after a back-off. */
    public void markWaiting(String idempotencyKey, String reason) {
        update("UPDATE confirmation_outbox SET last_error = :error, updated_at = :now WHERE idempotency_key = :key AND status = 'PENDING'",
                idempotencyKey, reason);
    }

    /**
     * Puts a parked confirmation back in the queue (after its cause was fixed in SAP), with a fresh
     * attempt count; adds it if the outbox does not know it.
     *
     * @return true if it is now pending
     */
    public boolean requeue(ProductionConfirmation confirmation) {
        int updated = update("""
                UPDATE confirmation_outbox SET status = 'PENDING', attempts = 0, last_error = NULL, updated_at = :now
                WHERE idempotency_key = :key AND status = 'PARKED'
                """, confirmation.idempotencyKey(), null);
        return updated == 1 || enqueue(confirmation);
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
                .addValue("now", Timestamp.from(clock.instant()));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }

    private static OutboxEntry map(ResultSet rs, int row) throws SQLException {
        String group = rs.getString("sap_confirmation_group");
        return new OutboxEntry(
                new ProductionConfirmation(
                        rs.getString("order_id"),
                        rs.getString("operation"),
                        rs.getBigDecimal("yield_quantity"),
                        rs.getBigDecimal("scrap_quantity"),
                        rs.getString("unit"),
                        // the outbox has no column for it: final confirmations are not posted by the hub yet
                        false,
                        rs.getDate("posting_date").toLocalDate(),
                        rs.getString("idempotency_key")),
                OutboxEntry.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                group == null ? null : new PostedConfirmation(group, rs.getString("sap_confirmation_count")),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
