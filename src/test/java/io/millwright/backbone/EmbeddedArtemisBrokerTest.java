package io.millwright.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testsupport.FreePorts;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.impl.AddressInfo;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedArtemisBrokerTest {

    private static final String MACHINE_STATE_JSON =
            "{\"specversion\":\"1.0\",\"type\":\"io.millwright.machine-state.v1\","
                    + "\"data\":{\"asset\":\"line1/press-01\",\"state\":\"RUNNING\",\"note\":\"Grüße µm\"}}";

    @TempDir
    static Path dataDir;

    static EmbeddedArtemisBroker broker;
    static CamelContext camel;
    static ProducerTemplate producer;

    MqttClient mqtt;
    final BlockingQueue<Received> mqttInbox = new ArrayBlockingQueue<>(10);

    record Received(String topic, byte[] payload) {}

    @BeforeAll
    static void startBrokerAndCamel() throws Exception {
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir);
        broker.start();
        camel = new DefaultCamelContext();
        camel.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(
                new ActiveMQConnectionFactory(broker.acceptorUri())));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stopCamelAndBroker() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void subscribeMqtt() throws Exception {
        mqtt = new MqttClient(broker.acceptorUri(), "mes-test-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        mqtt.connect(options);
        mqtt.subscribe("millwright/events/#", 1, (topic, message) -> mqttInbox.add(new Received(topic, message.getPayload())));
    }

    @AfterEach
    void disconnectMqtt() throws Exception {
        mqtt.disconnect();
        mqtt.close();
    }

    // Who listens on an address, as publishers ask before sending telemetry: the MQTT wildcard subscription
    // (millwright/events/#, made for each test) binds every event address, whether the address existed before
    // it (the hub creates its addresses at start) or not; an address outside it has nobody.
    @Test
    void hasListeners_seesAnMqttWildcardSubscription_andNobodyElsewhere() throws Exception {
        broker.server().addAddressInfo(new AddressInfo(SimpleString.of("millwright.events.created-first"), RoutingType.MULTICAST));
        broker.server().addAddressInfo(new AddressInfo(SimpleString.of("elsewhere.created-first"), RoutingType.MULTICAST));
        MqttClient late = new MqttClient(broker.acceptorUri(), "late-" + System.nanoTime(), new MemoryPersistence());
        late.connect();
        try {
            late.subscribe("millwright/events/created-first", 1);
            assertThat(broker.hasListeners("millwright.events.created-first")).isTrue();
            late.unsubscribe("millwright/events/created-first");
        } finally {
            late.disconnect();
            late.close();
        }
        assertThat(broker.hasListeners("millwright.events.created-first")).as("through millwright/events/#").isTrue();
        assertThat(broker.hasListeners("millwright.events.never-created")).isTrue();
        assertThat(broker.hasListeners("elsewhere.created-first")).isFalse();
        assertThat(broker.hasListeners("elsewhere.never-created")).isFalse();
        mqtt.unsubscribe("millwright/events/#");
        assertThat(broker.hasListeners("millwright.events.created-first")).isFalse();
        assertThat(broker.hasListeners("millwright.events.never-created")).isFalse();
    }

    // The MES contract: what Camel publishes on the JMS topic reaches MQTT unchanged (REFERENCE §6.1: '/' maps to '.').
    @Test
    void mqttSubscriberGetsExactBytes_whenCamelSendsJmsBytesMessage() throws Exception {
        byte[] payload = MACHINE_STATE_JSON.getBytes(StandardCharsets.UTF_8);

        producer.sendBody("jms:topic:millwright.events.machine-state?jmsMessageType=Bytes", payload);

        Received received = mqttInbox.poll(10, TimeUnit.SECONDS);
        assertThat(received).as("MQTT message on millwright/events/#").isNotNull();
        assertThat(received.topic()).isEqualTo("millwright/events/machine-state");
        assertThat(received.payload()).isEqualTo(payload);
    }

    // Artemis 2.44 converts a core text body to its UTF-8 bytes for MQTT (MQTTPublishManager), so no length prefix.
    @Test
    void mqttSubscriberGetsUtf8Text_whenCamelSendsJmsTextMessage() throws Exception {
        producer.sendBody("jms:topic:millwright.events.machine-state?jmsMessageType=Text", MACHINE_STATE_JSON);

        Received received = mqttInbox.poll(10, TimeUnit.SECONDS);
        assertThat(received).as("MQTT message on millwright/events/#").isNotNull();
        assertThat(received.payload()).isEqualTo(MACHINE_STATE_JSON.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jmsSubscriberGetsMqttPayloadAsBytes_whenMqttClientPublishes() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.acceptorUri()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("millwright.events.machine-state"));
            connection.start();
            byte[] payload = MACHINE_STATE_JSON.getBytes(StandardCharsets.UTF_8);

            mqtt.publish("millwright/events/machine-state", new MqttMessage(payload));

            Message message = consumer.receive(10_000);
            assertThat(message).isInstanceOf(BytesMessage.class);
            assertThat(message.getBody(byte[].class)).isEqualTo(payload);
        }
    }

    @Test
    void stompSubscriberGetsPayload_whenCamelSendsJmsBytesMessage() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(stompFrame("CONNECT", "accept-version:1.2", "host:millwright"));
            assertThat(in.readLine()).isEqualTo("CONNECTED");
            out.write(stompFrame("SUBSCRIBE", "id:0", "destination:millwright.events.machine-state",
                    "subscription-type:MULTICAST", "receipt:sub-0"));
            awaitFrame(in, "RECEIPT");

            producer.sendBody("jms:topic:millwright.events.machine-state?jmsMessageType=Bytes",
                    MACHINE_STATE_JSON.getBytes(StandardCharsets.UTF_8));

            awaitFrame(in, "MESSAGE");
            String line;
            while (!(line = in.readLine()).isEmpty()) {
                // headers
            }
            assertThat(in.readLine()).contains("\"asset\":\"line1/press-01\"");
        }
    }

    // REFERENCE §6.1: without a dead-letter address Artemis drops a message after max-delivery-attempts (10).
    @Test
    void messageDeadLettered_whenConsumerRollsBackTenTimes() throws Exception {
        try (Connection connection = new ActiveMQConnectionFactory(broker.acceptorUri()).createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = session.createQueue("millwright.test.poison");
            session.createProducer(queue).send(session.createTextMessage("poison"));
            session.commit();
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            for (int attempt = 1; attempt <= 10; attempt++) {
                assertThat(consumer.receive(5_000)).as("delivery %d", attempt).isNotNull();
                session.rollback();
            }
            assertThat(consumer.receive(500)).as("an 11th delivery").isNull();
            consumer.close();

            MessageConsumer dlq = session.createConsumer(
                    session.createQueue(EmbeddedArtemisBroker.DEAD_LETTER_ADDRESS + "::DLQ.millwright.test.poison"));
            Message dead = dlq.receive(5_000);
            session.commit();
            assertThat(dead).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
        }
    }

    @Test
    void durableMessageSurvives_whenBrokerRestartsOnSameDataDir(@TempDir Path ownDataDir) throws Exception {
        int port = FreePorts.next();
        EmbeddedArtemisBroker first = new EmbeddedArtemisBroker("127.0.0.1", port, ownDataDir);
        first.start();
        try (Connection connection = new ActiveMQConnectionFactory(first.acceptorUri()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer sender = session.createProducer(session.createQueue("millwright.test.durable"));
            sender.setDeliveryMode(DeliveryMode.PERSISTENT);
            sender.send(session.createTextMessage("kept across restart"));
        } finally {
            first.close();
        }
        assertThat(ownDataDir.resolve("artemis/journal")).isNotEmptyDirectory();

        EmbeddedArtemisBroker second = new EmbeddedArtemisBroker("127.0.0.1", port, ownDataDir);
        second.start();
        try (Connection connection = new ActiveMQConnectionFactory(second.acceptorUri()).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("millwright.test.durable"));
            connection.start();
            Message message = consumer.receive(10_000);
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) message).getText()).isEqualTo("kept across restart");
        } finally {
            second.close();
        }
    }

    private static byte[] stompFrame(String command, String... headers) {
        StringBuilder frame = new StringBuilder(command).append('\n');
        for (String header : headers) {
            frame.append(header).append('\n');
        }
        return frame.append('\n').append('\0').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitFrame(BufferedReader in, String command) throws Exception {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("STOMP frame %s", command).isNotNull();
            line = line.replace("\0", "");
        } while (!line.equals(command));
    }
}
