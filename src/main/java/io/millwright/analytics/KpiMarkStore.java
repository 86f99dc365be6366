package io.millwright.analytics;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The shift-end KPI publisher's mark in the hub's database ({@code analytics_kpi_mark}): the time
 * up to which every shift end has been published. Read at start-up, so the shifts that ended while
 * the hub was down are published then.
 */
class KpiMarkStore implements ShiftKpiPublisher.Mark {

    static final String PUBLISHER = "shift-kpi";

    private final NamedParameterJdbcTemplate jdbc;

    KpiMarkStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Instant load() {
        List<Timestamp> marks = jdbc.queryForList("SELECT published_up_to FROM analytics_kpi_mark WHERE publisher = :publisher",
                new MapSqlParameterSource("publisher", PUBLISHER), Timestamp.class);
        return marks.isEmpty() ? null : marks.get(0).toInstant();
    }

    @Override
    public void store(Instant publishedUpTo) {
        MapSqlParameterSource params = new MapSqlParameterSource("publisher", PUBLISHER)
                .addValue("upTo", Timestamp.from(publishedUpTo))
                .addValue("now", Timestamp.from(Instant.now()));
        int updated = jdbc.update("UPDATE analytics_kpi_mark SET published_up_to = :upTo, updated_at = :now WHERE publisher = :publisher",
                params);
        if (updated == 0) {
            jdbc.update("INSERT INTO analytics_kpi_mark (publisher, published_up_to, updated_at) VALUES (:publisher, :upTo, :now)", params);
        }
    }
}
