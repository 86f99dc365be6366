package io.millwright.analytics;

import io.millwright.ops.KafkaClientProperties;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code analytics-feed} Camel component: {@code analytics-feed:<topic>,<topic>?groupId=<group>},
 * the analytics feed's one Kafka consumer, which takes the records the hub has just published from
 * memory ({@link FeedHandoff}) and reads the rest from Kafka ({@link FeedPositions}), a poll at a
 * time as a list of {@link io.millwright.ops.KafkaRecordBatches.Record}s. Our own because camel-kafka
 * builds an exchange and a header map per record even in its batching mode and cannot take records
 * from anywhere but its fetches (docs/adr/0005-analytics-feed-in-process.md); the route, its
 * statistics, its policy and its error handling stay Camel's.
 */
final class AnalyticsFeedComponent extends DefaultComponent {

    /** The URI scheme, and the name under which the component is registered. */
    static final String SCHEME = "analytics-feed";

    private final String bootstrapServers;
    private final KafkaClientProperties client;
    private final FeedHandoff handoff;

    /**
     * @param bootstrapServers the Kafka cluster of the canonical topics
     * @param client how the feed logs in to it
     * @param handoff the records the publisher hands over
     */
    AnalyticsFeedComponent(String bootstrapServers, KafkaClientProperties client, FeedHandoff handoff) {
        this.bootstrapServers = bootstrapServers;
        this.client = client;
        this.handoff = handoff;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Set<String> topics = new LinkedHashSet<>();
        Arrays.stream(remaining.split(",")).map(String::trim).filter(topic -> !topic.isEmpty()).forEach(topics::add);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException(uri + ": name at least one topic, analytics-feed:<topic>,<topic>?groupId=<group>");
        }
        Object groupId = parameters.remove("groupId");
        if (groupId == null || groupId.toString().isBlank()) {
            throw new IllegalArgumentException(uri + ": the option groupId (the feed's Kafka consumer group) is missing");
        }
        return new AnalyticsFeedEndpoint(uri, this, topics, groupId.toString());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    KafkaClientProperties client() {
        return client;
    }

    FeedHandoff handoff() {
        return handoff;
    }
}
