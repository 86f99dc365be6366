package io.millwright.mes;

import io.millwright.model.EventType;
import io.millwright.ops.KafkaClientProperties;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Creates the Kafka topic and the Artemis multicast address of every event type at start-up,
 * before any route runs, so a subscriber can start before the first event (without it, a Kafka
 * consumer started early answers "Unknown topic or partition"). Existing ones are left as they
 * are. When a broker cannot be reached the hub still starts: the WARN says which, and the
 * destination is then created on first use (broker auto-creation). The topics and the addresses are
 * created side by side; the start goes on once both are done.
 */
@Component
class EventDestinations implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(EventDestinations.class);
    private static final long TIMEOUT_SECONDS = 15;

    private final MesProperties properties;
    private final ArtemisProperties artemis;
    private final KafkaClientProperties client;

    EventDestinations(MesProperties properties, ArtemisProperties artemis) {
        this(properties, artemis, KafkaClientProperties.PLAINTEXT);
    }

    @Autowired
    EventDestinations(MesProperties properties, ArtemisProperties artemis, KafkaClientProperties client) {
        this.properties = properties;
        this.artemis = artemis;
        this.client = client;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.createDestinations()) {
            log.info("Event topics and addresses are created on first use (millwright.mes.create-destinations=false)");
            return;
        }
        // side by side: each waits mostly on its broker's answers and its client's class loading
        CompletableFuture<Void> kafka = properties.kafkaEnabled()
                ? CompletableFuture.runAsync(this::createKafkaTopics, task -> {
                    Thread thread = new Thread(task, "event-topics");
                    thread.setDaemon(true);
                    thread.start();
                })
                : CompletableFuture.completedFuture(null);
        createArtemisAddresses();
        try {
            kafka.join();
        } catch (CompletionException e) {
            // what the topics' creation did not handle itself fails the start, as it did on this thread
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private void createKafkaTopics() {
        List<String> names = Arrays.stream(EventType.values()).map(EventType::destination).toList();
        Map<String, Object> config = new java.util.HashMap<>(client.asClientConfig());
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafkaBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, properties.topicPartitions(), properties.topicReplicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            log.info("Kafka event topics ready topics={} created={} partitions={}", names.size(), missing.size(),
                    properties.topicPartitions());
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Kafka event topics not created; they will be created on first use bootstrapServers={} reason={}",
                    properties.kafkaBootstrapServers(), e.getCause() != null ? e.getCause().getMessage() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void createArtemisAddresses() {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(artemis.getBrokerUrl())
                        .setCallTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS))
                        .setReconnectAttempts(0)
                        .setInitialConnectAttempts(3);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(artemis.getUser(), artemis.getPassword(), false, true, true, false, 0)) {
            int created = 0;
            for (EventType type : EventType.values()) {
                SimpleString address = SimpleString.of(type.destination());
                if (!session.addressQuery(address).isExists()) {
                    session.createAddress(address, EnumSet.of(RoutingType.MULTICAST), false);
                    created++;
                }
            }
            log.info("Artemis event addresses ready addresses={} created={}", EventType.values().length, created);
        } catch (Exception e) {
            log.warn("Artemis event addresses not created; they will be created on first use brokerUrl={} reason={}",
                    artemis.getBrokerUrl(), e.getMessage());
        }
    }
}
