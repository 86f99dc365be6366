package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/**
 * A subscription's durable queue against a real embedded Artemis, read by a client nobody here
 * wrote (Qpid JMS over AMQP 1.0): the MES disconnects, 600 events are published and the broker
 * restarts, the MES comes back and gets every event of its line, in order per asset, and none of
 * the other line.
 */
class SubscriptionQueueDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String LINE_1 = "acme/springfield/assembly/line-1";
    static final String LINE_2 = "acme/springfield/assembly/line-2";

    @TempDir Path dataDir;
    int port;
    EmbeddedArtemisBroker broker;
    SubscriptionQueues queues;

    @BeforeEach
    void startBroker() throws Exception {
        port = FreePorts.next();
        broker = new EmbeddedArtemisBroker("127.0.0.1", port, dataDir);
        broker.start();
        queues = new SubscriptionQueues(broker.acceptorUri(), null, null);
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    /**
     * The one place test clients connect, over AMQP 1.0 with Qpid JMS: when the broker's security
     * is on, pass the MES user and its password here.
     */
    Connection amqpConnection(String user, String password) throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(user, password, "amqp://127.0.0.1:" + port);
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    @Test
    void subscriberAwayWhileEventsArePublished_getsEveryEventOfItsLine_inOrderPerAsset() throws Exception {
        queues.boundBacklogs(DataSize.ofMegabytes(1).toBytes(), DataSize.ofMegabytes(100).toBytes(),
                SubscriptionsProperties.BacklogFullPolicy.DROP);
        queues.apply("mes-line1", EnumSet.of(EventType.MACHINE_STATE, EventType.PRODUCTION_COUNT),
                AssetFilter.parse(LINE_1 + "/#"), false);
        queues.apply("mes-all", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse("#"), false);

        // the MES connects once, then goes away
        try (Connection mes = amqpConnection(null, null)) {
            Session session = mes.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName("mes-line1")));
            assertThat(consumer.receive(200)).isNull();
        }
        restartBroker(); // queue and diverts are durable

        Map<String, List<String>> sentLine1 = publishAlternatingLines(12); // 600 events, half of them line 1's
        restartBroker(); // the backlog is on disk

        Map<String, List<String>> received = new LinkedHashMap<>();
        int count = 0;
        try (Connection mes = amqpConnection(null, null)) {
            Session session = mes.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName("mes-line1")));
            while (count < 300) {
                Message message = consumer.receive(30_000);
                assertThat(message).as("event %d of 300", count + 1).isNotNull();
                JsonNode event = json(message);
                received.computeIfAbsent(event.path("subject").asText(), a -> new ArrayList<>()).add(event.path("id").asText());
                assertThat(message.getStringProperty("ce_subject")).isEqualTo(event.path("subject").asText());
                count++;
            }
            assertThat(consumer.receive(500)).as("nothing beyond line 1's 300").isNull();
        }
        assertThat(count).isEqualTo(300);
        assertThat(received.keySet()).as("only line 1").allMatch(asset -> asset.startsWith(LINE_1 + "/"));
        assertThat(received).isEqualTo(sentLine1);
        assertThat(queues.stats("mes-line1")).containsEntry("pending", 0L).containsEntry("delivered", 300L);
        assertThat(queues.stats("mes-all")).containsEntry("pending", 600L).containsEntry("failed", 0L)
                .hasEntrySatisfying("lagMillis", age -> assertThat(((Number) age).longValue()).isPositive())
                .hasEntrySatisfying("backlogBytes", bytes -> assertThat(((Number) bytes).longValue()).isPositive());
    }

    /**
     * The same queue read over MQTT 3.1.1 with a persistent session (Paho, clean session off, QoS 1):
     * Artemis maps the topic {@code millwright/subscriptions/<name>} to the address of that name and,
     * the address being anycast only, consumes its existing queue (2.44's
     * {@code MQTTSubscriptionManager.findOrCreateQueue}) instead of making one per client. The MES
     * subscribes, goes away while 500 events are published, comes back and gets every event of its
     * line, in order per asset.
     */
    @Test
    void mqttPersistentSession_awayWhile500EventsArePublished_getsEveryEventOfItsLine_inOrderPerAsset() throws Exception {
        queues.apply("mqtt-line1", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse(LINE_1 + "/#"), false);
        String topic = "millwright/subscriptions/mqtt-line1";
        List<JsonNode> received = java.util.Collections.synchronizedList(new ArrayList<>());
        MqttClient mes = new MqttClient("tcp://127.0.0.1:" + port, "mes-line1-mqtt", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        mes.connect(options);
        mes.subscribe(topic, 1, (t, m) -> received.add(JSON.readTree(m.getPayload())));
        mes.disconnect();

        Map<String, List<String>> sentLine1 = publishAlternatingLines(20); // 1000 events, half of them line 1's
        assertThat(received).as("nothing while away").isEmpty();
        assertThat(queues.stats("mqtt-line1")).as("kept by the broker").containsEntry("pending", 500L);

        // the persistent session holds the subscription: connecting again is enough
        mes.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override public void connectionLost(Throwable cause) {}
            @Override public void messageArrived(String t, MqttMessage m) throws Exception {
                received.add(JSON.readTree(m.getPayload()));
            }
            @Override public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
        });
        mes.connect(options);
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 500);
            // acknowledged (PUBACK) by the client, so the broker dropped them; checked while connected:
            // Paho sends a PUBACK after its callback returns, and a disconnect right after the 500th
            // callback could leave the last ones unacknowledged (the broker would redeliver them later)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(queues.stats("mqtt-line1")).containsEntry("pending", 0L).containsEntry("delivered", 500L));
        } finally {
            mes.disconnect();
            mes.close();
        }
        Map<String, List<String>> byAsset = new LinkedHashMap<>();
        synchronized (received) {
            received.forEach(e -> byAsset.computeIfAbsent(e.path("subject").asText(), a -> new ArrayList<>()).add(e.path("id").asText()));
        }
        assertThat(received).hasSize(500);
        assertThat(byAsset).isEqualTo(sentLine1);
    }

    // the broker forgets when a consumer last acknowledged once it leaves, and keeps no "last error":
    // the hub reads both while they are there (QueueDeliveryWatch) and shows them on GET
    @Test
    void queueStatus_showsLastDeliveryFromTheConsumer_andLastErrorWhenTheBrokerGivesUpOnEvents() throws Exception {
        queues.apply("watched", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse(LINE_1 + "/#"), false);
        QueueDeliveryWatch watch = new QueueDeliveryWatch();
        Instant start = Instant.now();
        ArtemisEventSender sender = sender();
        try {
            sender.send(List.of(state(LINE_1 + "/machine-1", MachineState.RUNNING), state(LINE_1 + "/machine-2", MachineState.IDLE),
                    state(LINE_1 + "/machine-3", MachineState.DOWN)));
        } finally {
            sender.destroy();
        }
        Map<String, Object> before = watch.observe("watched", new LinkedHashMap<>(queues.stats("watched")), Instant.now());
        assertThat(before).containsEntry("pending", 3L).containsEntry("lastDelivery", null).containsEntry("lastError", null);

        try (Connection mes = amqpConnection(null, null)) {
            Session session = mes.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName("watched")));
            for (int i = 0; i < 2; i++) {
                Message message = consumer.receive(10_000);
                assertThat(message).isNotNull();
                message.acknowledge();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(queues.stats("watched")).containsEntry("delivered", 2L));
            // while attached, the broker reports the consumer's own acknowledgement time
            Map<String, Object> read = new LinkedHashMap<>(queues.stats("watched"));
            long acknowledgedAt = ((Number) read.get("consumerLastAcknowledged")).longValue();
            assertThat(Instant.ofEpochMilli(acknowledgedAt)).isBetween(start, Instant.now());
            Map<String, Object> during = watch.observe("watched", read, Instant.now().plusSeconds(60));
            assertThat(during).containsEntry("delivered", 2L).containsEntry("lastError", null)
                    .containsEntry("lastDelivery", Instant.ofEpochMilli(acknowledgedAt).toString());
            consumer.close(); // the third goes back to the queue
        }

        // the broker gives up on the last one (expired); the next read names it
        var control = (org.apache.activemq.artemis.api.core.management.QueueControl) broker.server().getManagementService()
                .getResource(org.apache.activemq.artemis.api.core.management.ResourceNames.QUEUE + SubscriptionQueues.queueName("watched"));
        assertThat(control.expireMessages((String) null)).isEqualTo(1);
        Instant failedAt = Instant.now();
        Map<String, Object> after = watch.observe("watched", new LinkedHashMap<>(queues.stats("watched")), failedAt);
        assertThat(after).containsEntry("failed", 1L).containsEntry("pending", 0L)
                .containsEntry("lastErrorAt", failedAt.toString())
                .hasEntrySatisfying("lastError", error -> assertThat((String) error).startsWith("1 event(s) expired"));
        assertThat(after.get("lastDelivery")).as("kept after the consumer left").isNotNull();
    }

    @Test
    void pausedSubscriptionKeepsCollecting_deleteRemovesQueueAndDiverts() throws Exception {
        queues.apply("paused", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse("acme/+/assembly/line-2/machine-1"), false);
        queues.pause("paused");
        ArtemisEventSender sender = sender();
        try {
            sender.send(List.of(state(LINE_2 + "/machine-1", MachineState.RUNNING), state(LINE_2 + "/machine-2", MachineState.RUNNING),
                    state(LINE_1 + "/machine-1", MachineState.RUNNING)));
        } finally {
            sender.destroy();
        }
        try (Connection mes = amqpConnection(null, null)) {
            Session session = mes.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName("paused")));
            assertThat(consumer.receive(500)).as("paused: nothing delivered").isNull();
            assertThat(queues.stats("paused")).containsEntry("pending", 1L).containsEntry("paused", true);
            queues.resume("paused");
            Message message = consumer.receive(10_000);
            assertThat(message).isNotNull();
            assertThat(json(message).path("subject").asText()).isEqualTo(LINE_2 + "/machine-1");
            assertThat(consumer.receive(300)).isNull();
        }
        queues.remove("paused");
        assertThat(queues.stats("paused")).isEmpty();
        assertThat(broker.server().getPostOffice().getAddressInfo(
                org.apache.activemq.artemis.api.core.SimpleString.of(EventType.MACHINE_STATE.destination())))
                .isNotNull();
        assertThat(broker.server().getConfiguration().getDivertConfigurations()).isEmpty();
    }

    // the field filter runs in the broker: the queue only ever holds what the subscriber asked for
    @Test
    void fieldFilter_queueHoldsOnlyTheMatchingStatesOfTheLine() throws Exception {
        queues.apply("running-line1", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse(LINE_1 + "/#"),
                FieldFilterTest.filter("{\"data.state\": {\"in\": [\"RUNNING\", \"DOWN\"]}}"), false);
        List<String> expected = new ArrayList<>();
        List<OutgoingEvent> events = new ArrayList<>();
        MachineState[] states = MachineState.values();
        for (int i = 0; i < 40; i++) {
            String asset = (i % 2 == 0 ? LINE_1 : LINE_2) + "/machine-1";
            MachineState s = states[(i / 2) % states.length];
            OutgoingEvent event = state(asset, s);
            events.add(event);
            if (asset.startsWith(LINE_1) && (s == MachineState.RUNNING || s == MachineState.DOWN)) {
                expected.add(event.envelope().id());
            }
        }
        ArtemisEventSender sender = sender();
        try {
            sender.send(events);
        } finally {
            sender.destroy();
        }
        assertThat(expected).as("control: the test sends matching and other events").isNotEmpty().hasSizeLessThan(20);
        List<String> received = new ArrayList<>();
        try (Connection mes = amqpConnection(null, null)) {
            Session session = mes.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName("running-line1")));
            for (Message m = consumer.receive(5_000); m != null; m = consumer.receive(500)) {
                JsonNode event = json(m);
                assertThat(event.path("data").path("state").asText()).isIn("RUNNING", "DOWN");
                received.add(event.path("id").asText());
            }
        }
        assertThat(received).isEqualTo(expected);
    }

    /**
     * Publishes {@code batches} batches of 50 machine states, one message per batch as the hub sends
     * them, alternating between line 1 and line 2 over three machines each; answers line 1's event ids
     * per asset in the order sent.
     */
    private Map<String, List<String>> publishAlternatingLines(int batches) throws Exception {
        Map<String, List<String>> sentLine1 = new LinkedHashMap<>();
        ArtemisEventSender sender = sender();
        try {
            for (int batch = 0; batch < batches; batch++) {
                List<OutgoingEvent> events = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String line = i % 2 == 0 ? LINE_1 : LINE_2;
                    String asset = line + "/machine-" + (i % 3 + 1);
                    OutgoingEvent event = state(asset, i % 4 == 0 ? MachineState.RUNNING : MachineState.IDLE);
                    events.add(event);
                    if (line.equals(LINE_1)) {
                        sentLine1.computeIfAbsent(asset, a -> new ArrayList<>()).add(event.envelope().id());
                    }
                }
                sender.send(events);
            }
        } finally {
            sender.destroy();
        }
        return sentLine1;
    }

    private void restartBroker() throws Exception {
        broker.close();
        broker = new EmbeddedArtemisBroker("127.0.0.1", port, dataDir);
        broker.start();
    }

    private ArtemisEventSender sender() {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        MesProperties mes = new MesProperties("127.0.0.1:1", 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH);
        return new ArtemisEventSender(artemis, mes);
    }

    private static OutgoingEvent state(String asset, MachineState state) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", asset, Instant.now(), null,
                new MachineStateChanged(state, MachineState.DOWN, "1000011", "0010"));
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope));
    }

    private static JsonNode json(Message message) throws Exception {
        BytesMessage bytes = (BytesMessage) message;
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return JSON.readTree(body);
    }
}
