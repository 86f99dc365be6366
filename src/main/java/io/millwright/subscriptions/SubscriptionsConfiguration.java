package io.millwright.subscriptions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.ops.KafkaClientProperties;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Wires the subscription registry to the hub's database and to Artemis (Spring Boot's {@code spring.artemis.*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubscriptionsProperties.class)
class SubscriptionsConfiguration {

    @Bean
    SubscriptionService subscriptionService(NamedParameterJdbcTemplate jdbc, ObjectMapper json, ArtemisProperties artemis,
            SubscriptionsProperties properties, WebhookDeliveries webhooks, KafkaSubscriptionTopics kafka) {
        return new SubscriptionService(new SubscriptionStore(jdbc, json),
                new SubscriptionQueues(artemis.getBrokerUrl(), artemis.getUser(), artemis.getPassword()), properties, webhooks,
                kafka);
    }

    @Bean(destroyMethod = "close")
    KafkaSubscriptionTopics kafkaSubscriptionTopics(SubscriptionsProperties properties, ObjectProvider<MeterRegistry> meters,
            ObjectProvider<KafkaClientProperties> kafkaClient) {
        // the hub's own login (SASL/SCRAM on the embedded broker by default), as its event producer uses
        KafkaClientProperties login = kafkaClient.getIfAvailable(() -> KafkaClientProperties.PLAINTEXT);
        return new KafkaSubscriptionTopics(properties.kafkaBootstrapServers(), login.asClientConfig(), properties.kafkaPartitions(),
                properties.kafkaReplicationFactor(), properties.kafkaRetention(), properties.backlogLimit().toBytes(),
                meters.getIfAvailable());
    }

    @Bean(destroyMethod = "close")
    WebhookDeliveries webhookDeliveries(NamedParameterJdbcTemplate jdbc, ArtemisProperties artemis,
            SubscriptionsProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new WebhookDeliveries(
                new ActiveMQConnectionFactory(artemis.getBrokerUrl(), artemis.getUser(), artemis.getPassword()),
                new WebhookDeadLetters(jdbc),
                new WebhookDispatcher.Retry(properties.webhookMaxAttempts(), properties.webhookInitialBackoff(),
                        properties.webhookMaxBackoff(), properties.webhookTimeout()),
                meters.getIfAvailable());
    }
}
