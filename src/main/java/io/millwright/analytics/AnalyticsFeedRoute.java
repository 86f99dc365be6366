package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventType;
import io.millwright.ops.TelemetryFirstPolicy;
import io.millwright.ops.TelemetryPressure;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The analytics side routes' one Kafka consumer: the canonical topics the lake, the rollups and the
 * anomaly detection read, in one consumer group ({@code millwright.analytics.consumer-group}), a poll
 * at a time ({@link AnalyticsFeedComponent}: the records the hub has just published taken from
 * memory, the rest read from Kafka). Each record is parsed once ({@link AnalyticsPoll}) and the
 * poll goes to each side route in turn ({@link AnalyticsFeedStep#pollEndpoint()}); each handles its own failures, so a failing lake
 * never keeps the rollups from their buckets. At plant scale the signal topic carries tens of
 * thousands of records a second, and reading and parsing each of them once per side route cost the
 * hub as much as its telemetry path (docs/benchmarks.md, "Telemetry at plant scale").
 *
 * <p>Telemetry first ({@link TelemetryFirstPolicy}): before each poll the route waits, bounded, while
 * the telemetry path is behind. Off the telemetry path: the publisher never waits for this consumer.
 */
final class AnalyticsFeedRoute extends RouteBuilder {

    static final String ROUTE_ID = "analytics-feed-consume";

    private final List<AnalyticsFeedStep> steps;
    private final String consumerGroup;
    private final ObjectMapper objectMapper;
    private final TelemetryPressure pressure;

    AnalyticsFeedRoute(List<AnalyticsFeedStep> steps, String consumerGroup, ObjectMapper objectMapper,
            TelemetryPressure pressure) {
        this.steps = List.copyOf(steps);
        this.consumerGroup = consumerGroup;
        this.objectMapper = objectMapper;
        this.pressure = pressure;
    }

    /** The Kafka topics the feed reads: the union of its steps' event types' topics, in a stable order. */
    static String topics(Collection<AnalyticsFeedStep> steps) {
        return steps.stream().flatMap(step -> step.eventTypes().stream()).distinct().sorted()
                .map(EventType::destination).collect(Collectors.joining(","));
    }

    @Override
    public void configure() {
        if (steps.isEmpty()) {
            return; // lake, rollups and anomaly detection all switched off: nothing to read
        }
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Analytics feed: a poll was not read reason=${exception.message}");

        from(AnalyticsFeedComponent.SCHEME + ":" + topics(steps) + "?groupId=" + consumerGroup)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "quality")
                .routeDescription("Analytics feed: reads the canonical topics once for the lake, the rollups and anomaly "
                        + "detection, parses each record once and hands each poll to them")
                .routePolicy(new TelemetryFirstPolicy(pressure))
                .process(exchange -> exchange.getMessage().setBody(AnalyticsPoll.of(exchange, objectMapper)))
                .multicast()
                    .to(steps.stream().map(AnalyticsFeedStep::pollEndpoint).toArray(String[]::new))
                .end();
    }
}
