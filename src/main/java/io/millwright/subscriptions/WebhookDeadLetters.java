package io.millwright.subscriptions;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Each webhook subscription's dead letters (table {@code subscription_dead_letter}, Flyway V41). */
public class WebhookDeadLetters {

    /** A dead-lettered event: what was sent, why it failed the last time, how often it was tried. */
    public record Entry(long id, String subscription, String eventId, String subject, String payload, String reason,
            int attempts, String status, Instant createdAt, Instant resentAt) {}

    static final String DEAD = "DEAD";
    static final String RESENT = "RESENT";

    private final NamedParameterJdbcTemplate jdbc;

    public WebhookDeadLetters(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void add(String subscription, String eventId, String subject, String payload, String reason, int attempts) {
        jdbc.update("""
                INSERT INTO subscription_dead_letter (subscription, event_id, subject, payload, reason, attempts, status, created_at)
                VALUES (:subscription, :eventId, :subject, :payload, :reason, :attempts, 'DEAD', :now)
                """, new MapSqlParameterSource("subscription", subscription)
                .addValue("eventId", eventId)
                .addValue("subject", subject)
                .addValue("payload", payload)
                .addValue("reason", reason.length() > 4000 ? reason.substring(0, 4000) : reason)
                .addValue("attempts", attempts)
                .addValue("now", Timestamp.from(Instant.now())));
    }

    public List<Entry> list(String subscription, String status) {
        return jdbc.query("""
                SELECT * FROM subscription_dead_letter WHERE subscription = :subscription
                AND (CAST(:status AS VARCHAR(16)) IS NULL OR status = :status) ORDER BY id
                """, new MapSqlParameterSource("subscription", subscription).addValue("status", status), (rs, i) -> new Entry(
                rs.getLong("id"), rs.getString("subscription"), rs.getString("event_id"), rs.getString("subject"),
                rs.getString("payload"), rs.getString("reason"), rs.getInt("attempts"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("resent_at") == null ? null : rs.getTimestamp("resent_at").toInstant()));
    }

    Optional<Entry> find(String subscription, long id) {
        return list(subscription, null).stream().filter(e -> e.id() == id).findFirst();
    }

    long count(String subscription) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM subscription_dead_letter WHERE subscription = :s AND status = 'DEAD'",
                new MapSqlParameterSource("s", subscription), Long.class);
        return count == null ? 0 : count;
    }

    /** Marks an entry resent; false when it was not waiting (already resent), so it is never resent twice. */
    boolean markResent(long id) {
        return jdbc.update("UPDATE subscription_dead_letter SET status = 'RESENT', resent_at = :now WHERE id = :id AND status = 'DEAD'",
                new MapSqlParameterSource("id", id).addValue("now", Timestamp.from(Instant.now()))) == 1;
    }

    /** Back to waiting, when a resend could not be handed to the broker. */
    void markDead(long id) {
        jdbc.update("UPDATE subscription_dead_letter SET status = 'DEAD', resent_at = NULL WHERE id = :id",
                new MapSqlParameterSource("id", id));
    }

    void deleteAll(String subscription) {
        jdbc.update("DELETE FROM subscription_dead_letter WHERE subscription = :s", new MapSqlParameterSource("s", subscription));
    }
}
