package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventType;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The rollups' side route: the signal topic in its own consumer group into the
 * {@link RollupAggregator}, and a timer that merges the buckets into the database. A record that
 * is not a numeric GOOD signal is skipped and counted (the lake keeps every record, and
 * dead-letters the unreadable ones); a database failure keeps the buckets in memory for the next
 * flush and shows in health ({@code analyticsRollups}).
 */
class RollupRoute extends RouteBuilder {

    static final String CONSUME_ROUTE_ID = "analytics-rollups-consume";
    static final String FLUSH_ROUTE_ID = "analytics-rollups-flush";

    private final RollupAggregator aggregator;
    private final AnalyticsProperties.Rollups settings;
    private final ObjectMapper objectMapper;

    RollupRoute(RollupAggregator aggregator, AnalyticsProperties.Rollups settings, ObjectMapper objectMapper) {
        this.aggregator = aggregator;
        this.settings = settings;
        this.objectMapper = objectMapper;
    }

    @Override
    public void configure() {
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Rollups: ${routeId} failed reason=${exception.message}");

        from("kafka:" + EventType.SIGNAL.destination()
                + "?groupId=" + settings.consumerGroup()
                + "&autoOffsetReset=earliest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + "&maxPollRecords=2000")
                .routeId(CONSUME_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "predictability")
                .routeDescription("Rollups: reads the signal topic in its own consumer group, 1 min and 1 h buckets per asset and tag")
                .process(this::add);

        from("timer:analytics-rollups-flush?period=" + settings.flushInterval().toMillis() + "&delay=" + settings.flushInterval().toMillis())
                .routeId(FLUSH_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "predictability")
                .routeDescription("Rollups: merges the buckets held in memory into signal_rollup_1m and signal_rollup_1h")
                .process(exchange -> aggregator.flush());
    }

    private void add(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        JsonNode event = body instanceof byte[] bytes
                ? objectMapper.readTree(bytes)
                : objectMapper.readTree(exchange.getMessage().getMandatoryBody(String.class));
        aggregator.add(event);
    }
}
