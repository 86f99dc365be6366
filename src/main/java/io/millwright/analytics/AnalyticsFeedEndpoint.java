package io.millwright.analytics;

import java.util.Set;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/** {@code analytics-feed:<topic>,<topic>?groupId=<group>}: see {@link AnalyticsFeedComponent}. Consumer only. */
@UriEndpoint(
        scheme = AnalyticsFeedComponent.SCHEME,
        title = "Analytics feed",
        syntax = "analytics-feed:topics",
        consumerOnly = true,
        category = {Category.MESSAGING})
final class AnalyticsFeedEndpoint extends DefaultEndpoint {

    private final Set<String> topics;
    private final String groupId;

    AnalyticsFeedEndpoint(String uri, AnalyticsFeedComponent component, Set<String> topics, String groupId) {
        super(uri, component);
        this.topics = Set.copyOf(topics);
        this.groupId = groupId;
    }

    Set<String> topics() {
        return topics;
    }

    String groupId() {
        return groupId;
    }

    @Override
    public AnalyticsFeedComponent getComponent() {
        return (AnalyticsFeedComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be consumed (from): it reads Kafka topics");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new AnalyticsFeedConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
