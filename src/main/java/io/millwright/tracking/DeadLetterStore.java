package io.millwright.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The dead-letter store in the hub's database (table {@code dead_letter}). */
@Repository
public class DeadLetterStore {

    private static final int MAX_REASON = 4000;

    private final NamedParameterJdbcTemplate jdbc;

    public DeadLetterStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Parks a message and returns its id. */
    public long park(String routeId, String endpointUri, String reason, String exceptionClass,
            String correlationId, String payload, String headers) {
        var keys = new GeneratedKeyHolder();
        jdbc.update("""
                INSERT INTO dead_letter (route_id, endpoint_uri, reason, exception_class, correlation_id,
                                         payload, headers, status, created_at)
                VALUES (:routeId, :endpointUri, :reason, :exceptionClass, :correlationId,
                        :payload, :headers, 'PARKED', :createdAt)
                """,
                new MapSqlParameterSource()
                        .addValue("routeId", routeId)
                        .addValue("endpointUri", endpointUri)
                        .addValue("reason", truncate(reason))
                        .addValue("exceptionClass", exceptionClass)
                        .addValue("correlationId", correlationId)
                        .addValue("payload", payload)
                        .addValue("headers", headers)
                        .addValue("createdAt", Timestamp.from(Instant.now())),
                keys, new String[] {"id"});
        return keys.getKey().longValue();
    }

    public Optional<DeadLetter> find(long id) {
        return jdbc.query("SELECT * FROM dead_letter WHERE id = :id",
                new MapSqlParameterSource("id", id), DeadLetterStore::map).stream().findFirst();
    }

    /** Newest first; {@code status} null lists all. */
    public List<DeadLetter> list(DeadLetter.Status status, int limit) {
        var params = new MapSqlParameterSource("limit", limit);
        String where = "";
        if (status != null) {
            where = "WHERE status = :status ";
            params.addValue("status", status.name());
        }
        return jdbc.query("SELECT * FROM dead_letter " + where + "ORDER BY id DESC FETCH FIRST :limit ROWS ONLY",
                params, DeadLetterStore::map);
    }

    /** Marks a parked entry as resubmitted; false if it was not parked (already resubmitted or unknown). */
    public boolean markResubmitted(long id) {
        return jdbc.update("""
                UPDATE dead_letter SET status = 'RESUBMITTED', resubmitted_at = :now
                WHERE id = :id AND status = 'PARKED'
                """,
                new MapSqlParameterSource("id", id).addValue("now", Timestamp.from(Instant.now()))) == 1;
    }

    /**
     * Closes every PARKED entry of this correlation id as {@code outcome} (RESUBMITTED or
     * DISCARDED): its owner settled it another way.
     *
     * @return how many were closed
     */
    public int closeParked(String correlationId, DeadLetter.Status outcome) {
        if (outcome == DeadLetter.Status.PARKED) {
            throw new IllegalArgumentException("a dead letter is closed as RESUBMITTED or DISCARDED, not PARKED");
        }
        return jdbc.update("""
                UPDATE dead_letter SET status = :outcome, resubmitted_at = :now
                WHERE correlation_id = :correlationId AND status = 'PARKED'
                """, new MapSqlParameterSource("correlationId", correlationId).addValue("outcome", outcome.name())
                .addValue("now", Timestamp.from(Instant.now())));
    }

    /** Puts a resubmitted entry back to PARKED, when sending it back failed before any route took it. */
    public void reopen(long id) {
        jdbc.update("UPDATE dead_letter SET status = 'PARKED', resubmitted_at = NULL WHERE id = :id",
                new MapSqlParameterSource("id", id));
    }

    private static String truncate(String reason) {
        String text = reason == null ? "(no reason given)" : reason;
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }

    private static DeadLetter map(ResultSet rs, int row) throws SQLException {
        Timestamp resubmitted = rs.getTimestamp("resubmitted_at");
        return new DeadLetter(
                rs.getLong("id"),
                rs.getString("route_id"),
                rs.getString("endpoint_uri"),
                rs.getString("reason"),
                rs.getString("exception_class"),
                rs.getString("correlation_id"),
                rs.getString("payload"),
                rs.getString("headers"),
                DeadLetter.Status.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant(),
                resubmitted == null ? null : resubmitted.toInstant());
    }
}
