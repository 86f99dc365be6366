package io.millwright.alerting;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The alerts in the hub's database (table {@code alert_state}, migration V51): raised ones stay
 * open until cleared and are read back at start-up; operators acknowledge and silence them.
 */
class AlertStore {

    /** One alert as kept, with who acknowledged or silenced it. */
    record StoredAlert(String alertId, String rule, String key, String severity, String status, String summary, Instant since,
            String eventId, Instant clearedAt, String acknowledgedBy, Instant acknowledgedAt, String silencedBy,
            Instant silencedUntil) {

        AlertEngine.Alert alert() {
            return new AlertEngine.Alert(alertId, rule, status, severity, key, summary, since, eventId);
        }
    }

    private static final String COLUMNS = "alert_id, rule_name, alert_key, severity, status, summary, raised_since, raised_event_id,"
            + " cleared_at, acknowledged_by, acknowledged_at, silenced_by, silenced_until";

    private final NamedParameterJdbcTemplate jdbc;

    AlertStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void raised(AlertEngine.Alert alert, Instant now) {
        jdbc.update("INSERT INTO alert_state (alert_id, rule_name, alert_key, severity, status, summary, raised_since, raised_event_id,"
                + " updated_at) VALUES (:id, :rule, :key, :severity, 'RAISED', :summary, :since, :eventId, :now)",
                new MapSqlParameterSource("id", alert.alertId()).addValue("rule", alert.rule()).addValue("key", alert.key())
                        .addValue("severity", alert.severity()).addValue("summary", alert.summary())
                        .addValue("since", Timestamp.from(alert.since())).addValue("eventId", alert.eventId())
                        .addValue("now", Timestamp.from(now)));
    }

    void cleared(String alertId, Instant at) {
        jdbc.update("UPDATE alert_state SET status = 'CLEARED', cleared_at = :at, updated_at = :at WHERE alert_id = :id",
                new MapSqlParameterSource("id", alertId).addValue("at", Timestamp.from(at)));
    }

    /** The pending timers of rules with a {@code for}, as the engine hands them over. */
    void pending(List<AlertEngine.Pending> changes) {
        for (AlertEngine.Pending change : changes) {
            MapSqlParameterSource params = new MapSqlParameterSource("rule", change.rule()).addValue("key", change.key());
            jdbc.update("DELETE FROM alert_pending WHERE rule_name = :rule AND alert_key = :key", params);
            if (change.since() != null) {
                jdbc.update("INSERT INTO alert_pending (rule_name, alert_key, since) VALUES (:rule, :key, :since)",
                        params.addValue("since", Timestamp.from(change.since())));
            }
        }
    }

    /** The timers pending before a restart. */
    List<AlertEngine.Pending> pending() {
        return jdbc.query("SELECT rule_name, alert_key, since FROM alert_pending ORDER BY since",
                (rs, n) -> new AlertEngine.Pending(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
    }

    /** The open alerts, oldest first. */
    List<StoredAlert> open() {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_state WHERE status = 'RAISED' ORDER BY raised_since, alert_id",
                AlertStore::row);
    }

    /** The latest alerts, open and cleared, newest first. */
    List<StoredAlert> latest(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_state ORDER BY raised_since DESC, alert_id DESC FETCH FIRST " + limit
                + " ROWS ONLY", AlertStore::row);
    }

    Optional<StoredAlert> find(String alertId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_state WHERE alert_id = :id", new MapSqlParameterSource("id", alertId),
                AlertStore::row).stream().findFirst();
    }

    boolean acknowledge(String alertId, String user, Instant at) {
        return jdbc.update("UPDATE alert_state SET acknowledged_by = :user, acknowledged_at = :at, updated_at = :at WHERE alert_id = :id",
                new MapSqlParameterSource("id", alertId).addValue("user", user).addValue("at", Timestamp.from(at))) == 1;
    }

    boolean silence(String alertId, String user, Instant until, Instant at) {
        return jdbc.update("UPDATE alert_state SET silenced_by = :user, silenced_until = :until, updated_at = :at WHERE alert_id = :id",
                new MapSqlParameterSource("id", alertId).addValue("user", user).addValue("until", Timestamp.from(until))
                        .addValue("at", Timestamp.from(at))) == 1;
    }

    /** Whether an alert of this rule and key is silenced at this time (a silence outlives the alert it was set on). */
    boolean silenced(String rule, String key, Instant at) {
        Integer silenced = jdbc.queryForObject("SELECT count(*) FROM alert_state WHERE rule_name = :rule AND alert_key = :key"
                + " AND silenced_until > :at", new MapSqlParameterSource("rule", rule).addValue("key", key)
                .addValue("at", Timestamp.from(at)), Integer.class);
        return silenced != null && silenced > 0;
    }

    private static StoredAlert row(ResultSet rs, int row) throws SQLException {
        return new StoredAlert(rs.getString("alert_id"), rs.getString("rule_name"), rs.getString("alert_key"), rs.getString("severity"),
                rs.getString("status"), rs.getString("summary"), instant(rs, "raised_since"), rs.getString("raised_event_id"),
                instant(rs, "cleared_at"), rs.getString("acknowledged_by"), instant(rs, "acknowledged_at"), rs.getString("silenced_by"),
                instant(rs, "silenced_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp time = rs.getTimestamp(column);
        return time == null ? null : time.toInstant();
    }
}
