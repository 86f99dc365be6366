package io.millwright.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The provisioned connections in the hub's database (table {@code ot_connection}, Flyway V75). */
class ConnectionStore {

    /** A stored connection: its definition is the connection file's document, as a map. */
    record Stored(String name, String type, Map<String, Object> definition, Instant createdAt, Instant updatedAt,
            String updatedBy) {}

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    ConnectionStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<Stored> list() {
        return jdbc.query("SELECT * FROM ot_connection ORDER BY name", this::row);
    }

    Optional<Stored> find(String name) {
        return jdbc.query("SELECT * FROM ot_connection WHERE name = :name", new MapSqlParameterSource("name", name), this::row)
                .stream().findFirst();
    }

    void insert(String name, String type, Map<String, Object> definition, String user) {
        jdbc.update("""
                INSERT INTO ot_connection (name, type, definition, created_at, updated_at, updated_by)
                VALUES (:name, :type, :definition, :now, :now, :user)
                """, params(name, type, definition, user));
    }

    void update(String name, String type, Map<String, Object> definition, String user) {
        jdbc.update("""
                UPDATE ot_connection SET type = :type, definition = :definition, updated_at = :now, updated_by = :user
                WHERE name = :name
                """, params(name, type, definition, user));
    }

    boolean delete(String name) {
        return jdbc.update("DELETE FROM ot_connection WHERE name = :name", new MapSqlParameterSource("name", name)) > 0;
    }

    private MapSqlParameterSource params(String name, String type, Map<String, Object> definition, String user) {
        try {
            return new MapSqlParameterSource("name", name)
                    .addValue("type", type)
                    .addValue("definition", json.writeValueAsString(definition))
                    .addValue("user", user)
                    .addValue("now", Timestamp.from(Instant.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the definition of connection " + name, e);
        }
    }

    private Stored row(ResultSet rs, int row) throws SQLException {
        try {
            return new Stored(rs.getString("name"), rs.getString("type"), json.readValue(rs.getString("definition"), MAP),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                    rs.getString("updated_by"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored definition of connection " + rs.getString("name") + " is not JSON", e);
        }
    }
}
