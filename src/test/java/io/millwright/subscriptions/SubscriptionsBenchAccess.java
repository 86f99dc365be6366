package io.millwright.subscriptions;

import io.millwright.model.EventType;
import java.time.Duration;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The subscription machinery as the MES benchmark ({@code io.millwright.bench.mes}) drives it: the
 * broker side of queue subscriptions and webhook deliveries, without the Spring context.
 */
public final class SubscriptionsBenchAccess {

    private SubscriptionsBenchAccess() {}

    /** Creates a queue subscription on the broker for every machine-state event ({@code #}). */
    public static void queueSubscription(String brokerUrl, String name) throws Exception {
        new SubscriptionQueues(brokerUrl, null, null).apply(name, EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse("#"), false);
    }

    /** Starts a webhook subscription delivering every machine-state event to {@code url}; close the result to stop. */
    public static AutoCloseable webhookSubscription(String brokerUrl, DataSource db, String name, String url, String secret)
            throws Exception {
        queueSubscription(brokerUrl, name);
        WebhookDeliveries deliveries = new WebhookDeliveries(new ActiveMQConnectionFactory(brokerUrl),
                new WebhookDeadLetters(new NamedParameterJdbcTemplate(db)),
                new WebhookDispatcher.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5)), null);
        deliveries.start(name, new Subscription.Delivery(Subscription.DeliveryType.webhook, url, secret, "structured"));
        return deliveries;
    }
}
