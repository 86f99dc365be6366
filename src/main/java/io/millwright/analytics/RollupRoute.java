package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventType;
import io.millwright.ops.TelemetryPressure;
import java.util.EnumSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollups' side route: the signals of the {@link AnalyticsFeedRoute}'s polls into the
 * {@link RollupAggregator}, and a timer that merges the buckets into the database. A record that
 * is not a numeric GOOD signal is skipped and counted (the lake keeps every record, and
 * dead-letters the unreadable ones); a database failure keeps the buckets in memory for the next
 * flush and shows in health ({@code analyticsRollups}).
 */
class RollupRoute extends RouteBuilder implements AnalyticsFeedStep {

    static final String POLL_ROUTE_ID = "analytics-rollups-poll";
    static final String POLL_ENDPOINT = "direct:analytics-rollups-poll";
    static final String FLUSH_ROUTE_ID = "analytics-rollups-flush";

    private static final Logger log = LoggerFactory.getLogger(RollupRoute.class);
    static final int MOST_SKIPPED_FLUSHES = 12;

    private final RollupAggregator aggregator;
    private final AnalyticsProperties.Rollups settings;
    private final ObjectMapper objectMapper;
    private final TelemetryPressure pressure;
    private volatile long lastFlushNanos = System.nanoTime();

    RollupRoute(RollupAggregator aggregator, AnalyticsProperties.Rollups settings, ObjectMapper objectMapper,
            TelemetryPressure pressure) {
        this.aggregator = aggregator;
        this.settings = settings;
        this.objectMapper = objectMapper;
        this.pressure = pressure;
    }

    @Override
    public void configure() {
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Rollups: ${routeId} failed reason=${exception.message}");

        from(POLL_ENDPOINT)
                .routeId(POLL_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "predictability")
                .routeDescription("Rollups: the signals of an analytics feed poll into 1 min and 1 h buckets per asset and tag")
                .process(this::add);

        from("timer:analytics-rollups-flush?period=" + settings.flushInterval().toMillis() + "&delay=" + settings.flushInterval().toMillis())
                .routeId(FLUSH_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "predictability")
                .routeDescription("Rollups: merges the buckets held in memory into signal_rollup_1m and signal_rollup_1h")
                .process(exchange -> flushUnlessBehind());
    }

    /**
     * Merges the buckets into the database, unless the telemetry is behind: then they stay in
     * memory, merged at the latest every {@value #MOST_SKIPPED_FLUSHES} flush intervals.
     */
    private void flushUnlessBehind() {
        pressure.onSideRouteThread(); // the timer's thread: a merge under way gives the telemetry the CPU first
        long now = System.nanoTime();
        if (pressure.behind() && now - lastFlushNanos < settings.flushInterval().toNanos() * MOST_SKIPPED_FLUSHES) {
            return;
        }
        lastFlushNanos = now;
        aggregator.flush();
    }

    @Override
    public String pollEndpoint() {
        return POLL_ENDPOINT;
    }

    @Override
    public Set<EventType> eventTypes() {
        return EnumSet.of(EventType.SIGNAL);
    }

    /** Adds a poll's signals; one that cannot be taken is logged and skipped, the others counted. */
    private void add(Exchange exchange) throws Exception {
        add(AnalyticsPoll.of(exchange, objectMapper));
    }

    void add(AnalyticsPoll poll) {
        String signal = EventType.SIGNAL.cloudEventType();
        for (AnalyticsPoll.Event event : poll.events()) {
            if (event.signal() != null) {
                aggregator.add(event.signal());
                continue;
            }
            if (!signal.equals(event.json().path("type").asText())) {
                continue;
            }
            try {
                aggregator.add(event.json());
            } catch (RuntimeException e) {
                log.warn("Rollups skipped a record reason={}", e.getMessage());
            }
        }
    }
}
