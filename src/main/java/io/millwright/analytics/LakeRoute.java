package io.millwright.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import io.millwright.model.Parked;
import io.millwright.ops.TelemetryFirstPolicy;
import io.millwright.ops.TelemetryPressure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's side route: every canonical event of the {@link AnalyticsFeedRoute}'s polls (all the
 * {@code millwright.events.<type>} topics) into the {@link ParquetLake}; a timer rolls the
 * partitions that are due. Off the telemetry path: the publisher hands events to Kafka and never
 * waits for the feed, so a slow or failing lake changes nothing upstream. Every Parquet file is
 * written on a thread at the side routes' priority that waits while the telemetry is behind: a size
 * roll on the lake's writer thread (the feed only seals the full partition and goes on), a time roll
 * on the roll timer's, under {@link TelemetryFirstPolicy}.
 *
 * <p>An event the lake cannot take (not JSON, no id, unreadable time) is dead-lettered with the
 * reason and can be resubmitted to {@value Endpoints#ANALYTICS_LAKE}; a failure of the lake
 * itself (disk) is logged, kept in memory up to a bound and shown in health ({@code analyticsLake}).
 */
class LakeRoute extends RouteBuilder implements AnalyticsFeedStep {

    static final String POLL_ROUTE_ID = "analytics-lake-poll";
    static final String POLL_ENDPOINT = "direct:analytics-lake-poll";
    static final String APPEND_ROUTE_ID = "analytics-lake-append";
    static final String ROLL_ROUTE_ID = "analytics-lake-roll";

    private static final Logger log = LoggerFactory.getLogger(LakeRoute.class);

    private static final Pattern CLOUD_EVENT_TYPE = Pattern.compile("io\\.millwright\\.([a-z0-9]+(?:-[a-z0-9]+)*)\\.v[0-9]+");

    private final ParquetLake lake;
    private final AnalyticsProperties.Lake settings;
    private final ObjectMapper objectMapper;
    private final TelemetryPressure pressure;

    LakeRoute(ParquetLake lake, AnalyticsProperties.Lake settings, ObjectMapper objectMapper, TelemetryPressure pressure) {
        this.lake = lake;
        this.settings = settings;
        this.objectMapper = objectMapper;
        this.pressure = pressure;
    }

    @Override
    public String pollEndpoint() {
        return POLL_ENDPOINT;
    }

    /** Every canonical event type: the lake keeps them all. */
    @Override
    public Set<EventType> eventTypes() {
        return EnumSet.allOf(EventType.class);
    }

    @Override
    public void configure() {
        onException(IllegalArgumentException.class, JsonProcessingException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .setHeader(MessageHeaders.DEAD_LETTER_REASON,
                        simple("The data lake cannot take this event: ${exception.message}; fix the event and resubmit"))
                .to(Endpoints.DEAD_LETTER);
        // the lake's own trouble (DuckDB, disk): logged and shown in health, never back-pressure on Kafka's reader
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Lake did not take an event reason=${exception.message}");

        from(POLL_ENDPOINT)
                .routeId(POLL_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "quality")
                .routeDescription("Data lake: buffers each event of an analytics feed poll for its Parquet partition, parks those it cannot take")
                .process(this::appendPoll)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                    .to(Endpoints.PARK)
                .end();

        from(Endpoints.ANALYTICS_LAKE)
                .routeId(APPEND_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "quality")
                .routeDescription("Data lake: buffers one canonical event for its Parquet partition type=<type>/date=<day>")
                .setProperty(MessageHeaders.RESUBMIT_ENDPOINT, constant(Endpoints.ANALYTICS_LAKE))
                .process(this::append);

        from("timer:analytics-lake-roll?period=" + settings.rollCheck().toMillis() + "&delay=" + settings.rollCheck().toMillis())
                .routeId(ROLL_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "quality")
                .routeDescription("Data lake: writes the partitions whose oldest event is roll-interval old as Parquet files")
                // telemetry first: the timer's thread runs at the side routes' nice value and waits while the
                // telemetry is behind, as the feed's does (a size roll runs on the feed's thread, under its policy)
                .routePolicy(new TelemetryFirstPolicy(pressure))
                .process(exchange -> lake.rollDue());
    }

    /**
     * Buffers a poll's events; the body becomes the records the lake cannot take (not JSON, no id,
     * unreadable time), to be parked one by one with their reason (resubmittable to
     * {@value Endpoints#ANALYTICS_LAKE}). The lake's own trouble (disk, DuckDB) is logged, as on the
     * single-record route.
     */
    private void appendPoll(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(appendPoll(AnalyticsPoll.of(exchange, objectMapper)));
    }

    /** Buffers a poll's events; returns those the lake cannot take, to be parked. */
    List<Parked> appendPoll(AnalyticsPoll poll) {
        List<Parked> refused = new ArrayList<>();
        for (AnalyticsPoll.Unreadable record : poll.unreadable()) {
            refused.add(parked(record.record(), record.cause(), record.reason()));
        }
        for (AnalyticsPoll.Event event : poll.events()) {
            try {
                if (event.signal() != null) {
                    lake.append(event.signal(), event.record(), event.sizeBytes());
                    continue;
                }
                lake.append(eventName(event.json()), event.json(), event.sizeBytes());
            } catch (IllegalArgumentException e) {
                refused.add(parked(event.record(), e, e.getMessage()));
            } catch (Exception e) {
                log.warn("Lake did not take an event reason={}", e.getMessage());
            }
        }
        return refused;
    }

    private static Parked parked(byte[] record, Exception cause, String reason) {
        return new Parked(APPEND_ROUTE_ID, Endpoints.ANALYTICS_LAKE,
                "The data lake cannot take this event: " + reason + "; fix the event and resubmit",
                cause.getClass().getName(), null, new String(record, StandardCharsets.UTF_8));
    }

    private void append(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        append(body instanceof byte[] raw ? raw : exchange.getMessage().getMandatoryBody(String.class).getBytes(StandardCharsets.UTF_8));
    }

    private void append(byte[] bytes) throws Exception {
        JsonNode event = objectMapper.readTree(bytes);
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("the record is not a CloudEvents JSON object");
        }
        lake.append(eventName(event), event, bytes.length);
    }

    /** The event name of a CloudEvents type: {@code io.millwright.machine-state.v1} is {@code machine-state}. */
    static String eventName(JsonNode event) {
        JsonNode type = event.path("type");
        Matcher matcher = CLOUD_EVENT_TYPE.matcher(type.asText(""));
        if (!type.isTextual() || !matcher.matches()) {
            throw new IllegalArgumentException("field 'type' " + (type.isMissingNode() ? "is missing" : "'" + type.asText() + "'")
                    + ": must be a Millwright CloudEvents type io.millwright.<name>.v<major>");
        }
        return matcher.group(1);
    }
}
