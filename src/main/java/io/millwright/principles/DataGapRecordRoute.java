package io.millwright.principles;

import io.millwright.model.DataGap;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps every published data gap (table {@code outcome_data_gap}) for the predictability KPIs of
 * {@code GET /api/outcomes}. It reads the live event feed, which never holds the publisher back: a
 * batch the feed drops when it is full is missing from the counts, never from the backbone.
 */
@Component
class DataGapRecordRoute extends RouteBuilder {

    static final String ROUTE_ID = "outcomes-data-gap-record";

    private final NamedParameterJdbcTemplate jdbc;

    DataGapRecordRoute(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void configure() {
        // a KPI record, not the record of the gap (that is the data-gap event on the backbone)
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Outcomes did not record a data gap batch reason=${exception.message}");

        from(Endpoints.EVENT_FEED)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "2").routeProperty("outcome", "predictability")
                .routeDescription("Keeps each published data gap for the predictability KPIs of GET /api/outcomes")
                .process(this::record);
    }

    @SuppressWarnings("unchecked")
    private void record(Exchange exchange) {
        List<EventEnvelope<?>> events = exchange.getMessage().getBody(List.class);
        for (EventEnvelope<?> event : events) {
            if (EventType.DATA_GAP.cloudEventType().equals(event.type()) && event.data() instanceof DataGap gap) {
                insert(event.id(), gap);
            }
        }
    }

    void insert(String eventId, DataGap gap) {
        try {
            jdbc.update("""
                    INSERT INTO outcome_data_gap (event_id, connection, gap_start, gap_end, reason, recorded_at)
                    VALUES (:id, :connection, :start, :end, :reason, :now)""",
                    new MapSqlParameterSource("id", eventId).addValue("connection", gap.connection())
                            .addValue("start", Timestamp.from(gap.start())).addValue("end", Timestamp.from(gap.end()))
                            .addValue("reason", gap.reason().length() > 2000 ? gap.reason().substring(0, 2000) : gap.reason())
                            .addValue("now", Timestamp.from(Instant.now())));
        } catch (DuplicateKeyException seenBefore) {
            // the same event twice (a resubmitted publication): kept once
        }
    }
}
