package io.millwright.principles;

import io.millwright.model.DataGap;
import io.millwright.model.DataGapRecorder;
import java.sql.Timestamp;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps every published data gap (table {@code outcome_data_gap}) for the predictability KPIs of
 * {@code GET /api/outcomes}. The data-gap route ({@code enrich}) calls it as its last step, after
 * the event went out, so every gap the backbone carries is counted once, also when no live view
 * listens.
 */
@Component
class OutcomeDataGaps implements DataGapRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeDataGaps.class);

    private final NamedParameterJdbcTemplate jdbc;

    OutcomeDataGaps(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(String eventId, DataGap gap) {
        try {
            jdbc.update("""
                    INSERT INTO outcome_data_gap (event_id, connection, gap_start, gap_end, reason, recorded_at)
                    VALUES (:id, :connection, :start, :end, :reason, :now)""",
                    new MapSqlParameterSource("id", eventId).addValue("connection", gap.connection())
                            .addValue("start", Timestamp.from(gap.start())).addValue("end", Timestamp.from(gap.end()))
                            .addValue("reason", gap.reason().length() > 2000 ? gap.reason().substring(0, 2000) : gap.reason())
                            .addValue("now", Timestamp.from(Instant.now())));
        } catch (DuplicateKeyException seenBefore) {
            // the same event twice: kept once
        } catch (DataAccessException e) {
            // a KPI record, not the record of the gap (that is the data-gap event on the backbone)
            log.warn("Outcomes did not record a data gap event={} connection={} reason={}", eventId, gap.connection(), e.toString());
        }
    }
}
