package io.millwright.subscriptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The subscription registry in the hub's database (table {@code subscription}, Flyway V40, V43). */
class SubscriptionStore {

    /** A stored subscription with its state. */
    record Stored(Subscription subscription, boolean paused, Instant createdAt, Instant updatedAt) {}

    private static final TypeReference<LinkedHashMap<String, Object>> FILTER = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    SubscriptionStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Stored> list() {
        return jdbc.query("SELECT * FROM subscription ORDER BY name", this::row);
    }

    Optional<Stored> find(String name) {
        return jdbc.query("SELECT * FROM subscription WHERE name = :name", new MapSqlParameterSource("name", name), this::row)
                .stream().findFirst();
    }

    void insert(Subscription s) {
        jdbc.update("""
                INSERT INTO subscription (name, owner, types, asset_filter, field_filter, delivery, paused, created_at, updated_at)
                VALUES (:name, :owner, :types, :assetFilter, :fieldFilter, :delivery, FALSE, :now, :now)
                """, params(s));
    }

    void update(Subscription s) {
        jdbc.update("""
                UPDATE subscription SET owner = :owner, types = :types, asset_filter = :assetFilter,
                    field_filter = :fieldFilter, delivery = :delivery, updated_at = :now WHERE name = :name
                """, params(s));
    }

    void setPaused(String name, boolean paused) {
        jdbc.update("UPDATE subscription SET paused = :paused, updated_at = :now WHERE name = :name",
                new MapSqlParameterSource("name", name).addValue("paused", paused).addValue("now", Timestamp.from(Instant.now())));
    }

    boolean delete(String name) {
        return jdbc.update("DELETE FROM subscription WHERE name = :name", new MapSqlParameterSource("name", name)) > 0;
    }

    private MapSqlParameterSource params(Subscription s) {
        try {
            return new MapSqlParameterSource("name", s.name())
                    .addValue("owner", s.owner())
                    .addValue("types", String.join(",", s.types()))
                    .addValue("assetFilter", s.assetFilter())
                    .addValue("fieldFilter", s.filter() == null ? null : json.writeValueAsString(s.filter()))
                    .addValue("delivery", json.writeValueAsString(s.delivery()))
                    .addValue("now", Timestamp.from(Instant.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write delivery of subscription " + s.name(), e);
        }
    }

    private Stored row(ResultSet rs, int row) throws SQLException {
        try {
            Subscription s = new Subscription(rs.getString("name"), rs.getString("owner"),
                    Arrays.asList(rs.getString("types").split(",")), rs.getString("asset_filter"),
                    rs.getString("field_filter") == null ? null : json.readValue(rs.getString("field_filter"), FILTER),
                    json.readValue(rs.getString("delivery"), Subscription.Delivery.class));
            return new Stored(s, rs.getBoolean("paused"), rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("updated_at").toInstant());
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable delivery of subscription " + rs.getString("name"), e);
        }
    }
}
