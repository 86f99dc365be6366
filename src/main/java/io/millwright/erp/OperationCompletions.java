package io.millwright.erp;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Order operations declared complete (table {@code erp_operation_completion}): which confirmation
 * is the final one. The window parks counts that arrive for a completed operation, and the relay
 * does not post a partial confirmation after the final one reached SAP.
 */
@Repository
class OperationCompletions {

    /** A completed operation: its final confirmation's key, who completed it and when. */
    record Completion(String orderId, String operation, String finalKey, String origin, Instant completedAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    OperationCompletions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Completion> find(String orderId, String operation) {
        return jdbc.query("SELECT * FROM erp_operation_completion WHERE order_id = :order AND operation = :operation",
                new MapSqlParameterSource("order", orderId).addValue("operation", operation),
                (rs, row) -> new Completion(rs.getString("order_id"), rs.getString("operation"), rs.getString("final_key"),
                        rs.getString("origin"), rs.getTimestamp("completed_at").toInstant())).stream().findFirst();
    }

    /** Records the completion; fails on a duplicate (the caller's transaction decides). */
    void record(Completion completion) {
        jdbc.update("""
                INSERT INTO erp_operation_completion (order_id, operation, final_key, origin, completed_at)
                VALUES (:order, :operation, :key, :origin, :at)
                """, new MapSqlParameterSource("order", completion.orderId()).addValue("operation", completion.operation())
                .addValue("key", completion.finalKey()).addValue("origin", completion.origin())
                .addValue("at", Timestamp.from(completion.completedAt())));
    }

    /** The final confirmation of this operation, if SAP holds it already. */
    Optional<Completion> finalPosted(String orderId, String operation) {
        return find(orderId, operation).filter(c -> Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT COUNT(*) FROM confirmation_outbox WHERE idempotency_key = :key AND status = 'POSTED'",
                new MapSqlParameterSource("key", c.finalKey()), Integer.class) > 0));
    }
}
