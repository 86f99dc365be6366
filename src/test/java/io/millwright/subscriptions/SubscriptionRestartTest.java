package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.MesProperties;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.testsupport.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Subscriptions persist in the hub's store: a hub that starts against a broker that lost its data
 * (a new broker, an emptied data folder) creates every subscription's queue and diverts again, and
 * matching events collect there once more.
 */
class SubscriptionRestartTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir Path firstData;
    @TempDir Path secondData;
    EmbeddedArtemisBroker broker;
    WebhookDeliveries webhooks;
    NamedParameterJdbcTemplate jdbc;

    @AfterEach
    void stop() throws Exception {
        if (webhooks != null) {
            webhooks.close();
        }
        broker.close();
    }

    @Test
    void hubStartingAgainstAnEmptyBroker_recreatesStoredSubscriptions() throws Exception {
        int port = FreePorts.next();
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:subscriptions-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        jdbc = new NamedParameterJdbcTemplate(db);
        SubscriptionStore store = new SubscriptionStore(jdbc, JSON);
        SubscriptionsProperties properties = new SubscriptionsProperties(DataSize.ofMegabytes(1), DataSize.ofMegabytes(100),
                SubscriptionsProperties.BacklogFullPolicy.DROP, 3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5),
                "127.0.0.1:1", 1, (short) 1, Duration.ofDays(1));
        Subscription line1 = new Subscription("line-1", "mes", List.of("machine-state"), "acme/springfield/assembly/line-1/#", null,
                new Subscription.Delivery(Subscription.DeliveryType.queue, null, null, null));

        broker = new EmbeddedArtemisBroker("127.0.0.1", port, firstData);
        broker.start();
        assertThat(service(store, properties, port).create(line1)).isEqualTo(SubscriptionService.Outcome.CREATED);
        webhooks.close();
        broker.close();

        broker = new EmbeddedArtemisBroker("127.0.0.1", port, secondData); // the broker lost everything
        broker.start();
        SubscriptionQueues queues = new SubscriptionQueues(broker.acceptorUri(), null, null);
        assertThat(queues.stats("line-1")).isEmpty();

        SubscriptionService restarted = service(store, properties, port);
        restarted.afterSingletonsInstantiated();
        assertThat(restarted.create(line1)).isEqualTo(SubscriptionService.Outcome.UNCHANGED);

        send(List.of(state("acme/springfield/assembly/line-1/machine-1"), state("acme/springfield/assembly/line-2/machine-1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1L).equals(queues.stats("line-1").get("pending")));
        assertThat(restarted.get("line-1").queue()).isEqualTo("millwright.subscriptions.line-1");
    }

    private SubscriptionService service(SubscriptionStore store, SubscriptionsProperties properties, int port) {
        String url = "tcp://127.0.0.1:" + port;
        webhooks = new WebhookDeliveries(new ActiveMQConnectionFactory(url), new WebhookDeadLetters(jdbc),
                new WebhookDispatcher.Retry(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)), null);
        // no Kafka subscription here: the Kafka side is never asked
        return new SubscriptionService(store, new SubscriptionQueues(url, null, null), properties, webhooks,
                new KafkaSubscriptionTopics("127.0.0.1:1", 1, (short) 1, Duration.ofDays(1), 1L << 30, null));
    }

    private void send(List<OutgoingEvent> events) throws Exception {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        ArtemisEventSender sender = new ArtemisEventSender(artemis, new MesProperties("127.0.0.1:1", 3, (short) 1,
                Duration.ofMillis(5), DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH));
        try {
            sender.send(events);
        } finally {
            sender.destroy();
        }
    }

    private static OutgoingEvent state(String asset) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", asset, Instant.now(), null,
                new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, "1000011", "0010"));
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope));
    }
}
