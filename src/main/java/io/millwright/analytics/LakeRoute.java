package io.millwright.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import io.millwright.model.Parked;
import io.millwright.ops.KafkaRecordBatches;
import io.millwright.ops.TelemetryPressure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lake's side route: every canonical Kafka topic ({@code millwright.events.<type>}) in the
 * lake's own consumer group, each record's JSON into the {@link ParquetLake}; a timer rolls the
 * partitions that are due. Off the telemetry path: the publisher hands events to Kafka and never
 * waits for this consumer, so a slow or failing lake changes nothing upstream.
 *
 * <p>An event the lake cannot take (not JSON, no id, unreadable time) is dead-lettered with the
 * reason and can be resubmitted to {@value Endpoints#ANALYTICS_LAKE}; a failure of the lake
 * itself (disk) is logged, kept in memory up to a bound and shown in health ({@code analyticsLake}).
 */
class LakeRoute extends RouteBuilder {

    static final String CONSUME_ROUTE_ID = "analytics-lake-consume";
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

    /** The Kafka topics the lake reads: every canonical event type's. */
    static String topics() {
        return Arrays.stream(EventType.values()).map(EventType::destination).collect(Collectors.joining(","));
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

        from("kafka:" + topics()
                + "?groupId=" + settings.consumerGroup()
                + "&autoOffsetReset=earliest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + KafkaRecordBatches.options(2000))
                .routeId(CONSUME_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "quality")
                .routeDescription("Data lake: reads every canonical event topic in its own consumer group, a poll at a time")
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
                .process(exchange -> lake.rollDue());
    }

    /**
     * Buffers a poll's records; the body becomes the records the lake cannot take, to be parked
     * one by one with their reason (resubmittable to {@value Endpoints#ANALYTICS_LAKE}). The lake's
     * own trouble (disk, DuckDB) is logged, as on the single-record route.
     */
    private void appendPoll(Exchange exchange) throws Exception {
        pressure.yieldWhileBehind();
        List<Parked> refused = new ArrayList<>();
        for (byte[] record : KafkaRecordBatches.values(exchange)) {
            try {
                append(record);
            } catch (IllegalArgumentException | JsonProcessingException e) {
                refused.add(new Parked(APPEND_ROUTE_ID, Endpoints.ANALYTICS_LAKE,
                        "The data lake cannot take this event: " + e.getMessage() + "; fix the event and resubmit",
                        e.getClass().getName(), null, new String(record, StandardCharsets.UTF_8)));
            } catch (Exception e) {
                log.warn("Lake did not take an event reason={}", e.getMessage());
            }
        }
        exchange.getMessage().setBody(refused);
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
