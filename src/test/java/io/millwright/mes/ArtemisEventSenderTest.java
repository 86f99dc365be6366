package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import io.millwright.ops.AddressListeners;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/**
 * What a JMS (and so MQTT, AMQP, STOMP) subscriber of the event addresses receives from one
 * published batch, for each way signals may go to Artemis, against a real embedded broker.
 */
class ArtemisEventSenderTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir Path dataDir;
    int port;
    EmbeddedArtemisBroker broker;
    Connection subscriber;

    @BeforeEach
    void startBroker() throws Exception {
        port = FreePorts.next();
        broker = new EmbeddedArtemisBroker("127.0.0.1", port, dataDir);
        broker.start();
        subscriber = new ActiveMQConnectionFactory(broker.acceptorUri()).createConnection();
        subscriber.start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        subscriber.close();
        broker.close();
    }


    // Signals are telemetry (non-persistent); states are business facts (persistent) and always one per message.
    @ParameterizedTest
    @EnumSource(MesProperties.ArtemisSignals.class)
    void subscriberReceivesStatesOneByOne_andSignalsAsConfigured(MesProperties.ArtemisSignals mode) throws Exception {
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer signals = session.createConsumer(session.createTopic(EventType.SIGNAL.destination()));
        MessageConsumer states = session.createConsumer(session.createTopic(EventType.MACHINE_STATE.destination()));
        ArtemisEventSender sender = sender(mode);
        try {
            sender.send(List.of(signal("a", 1.5), signal("b", 2.5), state(), signal("c", 3.5)));
        } finally {
            sender.destroy();
        }

        Message stateMessage = states.receive(5_000);
        assertThat(stateMessage).isNotNull();
        assertThat(stateMessage.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(json(stateMessage).path("type").asText()).isEqualTo("io.millwright.machine-state.v1");
        assertThat(stateMessage.getStringProperty("ce_type")).isEqualTo("io.millwright.machine-state.v1");
        assertThat(states.receive(200)).as("one message per state").isNull();

        List<JsonNode> received = new ArrayList<>();
        for (Message message = signals.receive(2_000); message != null; message = signals.receive(300)) {
            assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            received.add(json(message));
        }
        switch (mode) {
            case BATCH -> {
                assertThat(received).hasSize(1);
                JsonNode batch = received.get(0);
                assertThat(batch.isArray()).isTrue();
                assertThat(batch).extracting(e -> e.path("data").path("tag").asText()).containsExactly("a", "b", "c");
            }
            case EACH -> assertThat(received).extracting(e -> e.path("data").path("tag").asText()).containsExactly("a", "b", "c");
            case NONE -> assertThat(received).isEmpty();
        }
    }

    // Signals reach Artemis only while someone listens on their address (the embedded broker's routing
    // table): the broker drops a multicast message without a binding anyway. States go as always.
    @Test
    void signalsAreSentOnlyWhileSomeoneSubscribes_statesAlways() throws Exception {
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer states = session.createConsumer(session.createTopic(EventType.MACHINE_STATE.destination()));
        ArtemisEventSender sender = sender(MesProperties.ArtemisSignals.BATCH, 4, broker::hasListeners);
        try {
            sender.send(List.of(signal("a", 1), state(), signal("b", 2)));
            assertThat(states.receive(5_000)).as("the state, with nobody on the signals").isNotNull();
            sender.send(List.of(signal("c", 3)));
            assertThat(sender.unheardSignals()).isEqualTo(3);

            MessageConsumer signals = session.createConsumer(session.createTopic(EventType.SIGNAL.destination()));
            sender.send(List.of(signal("d", 4), signal("e", 5)));
            Message batch = signals.receive(5_000);
            assertThat(batch).as("signals published after the subscription").isNotNull();
            assertThat(json(batch)).extracting(e -> e.path("data").path("tag").asText()).containsExactly("d", "e");
            assertThat(signals.receive(300)).as("nothing from before the subscription").isNull();
            assertThat(sender.unheardSignals()).isEqualTo(3);
        } finally {
            sender.destroy();
        }
    }

    // a batch of a thousand signals (about half a MB) arrives as several messages, each under Artemis's
    // large-message size, all signals once and in order
    @Test
    void aLargeSignalBatchIsCutIntoMessagesUnderTheLargeMessageSize() throws Exception {
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer signals = session.createConsumer(session.createTopic(EventType.SIGNAL.destination()));
        List<OutgoingEvent> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(signal(String.format("ns=2;s=Line1.Cell%03d.Temperature", i), i));
        }
        ArtemisEventSender sender = sender(MesProperties.ArtemisSignals.BATCH, 4);
        try {
            sender.send(batch);
        } finally {
            sender.destroy();
        }
        List<String> tags = new ArrayList<>();
        int messages = 0;
        for (Message message = signals.receive(5_000); message != null; message = signals.receive(500)) {
            messages++;
            assertThat(((BytesMessage) message).getBodyLength()).isLessThanOrEqualTo(ArtemisEventSender.MAX_SIGNAL_BATCH_BYTES);
            JsonNode events = json(message);
            assertThat(message.getIntProperty("ce_batchsize")).isEqualTo(events.size());
            events.forEach(event -> tags.add(event.path("data").path("tag").asText()));
        }
        assertThat(messages).as("messages for %d signals", batch.size()).isGreaterThan(1);
        assertThat(tags).containsExactlyElementsOf(batch.stream().map(e -> ((Signal) e.envelope().data()).tag()).toList());
    }

    // several publishing threads (an OPC UA connection's workers) each take a sender of their own instead of
    // waiting for each other's commits; each thread's events stay in order, as one asset's do
    @Test
    void publishingThreadsUseSendersOfTheirOwn_andEachThreadsEventsStayInOrder() throws Exception {
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer states = session.createConsumer(session.createTopic(EventType.MACHINE_STATE.destination()));
        ArtemisEventSender sender = sender(MesProperties.ArtemisSignals.BATCH, 4);
        int threads = 4;
        int batches = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String asset = "acme/site/area/line-" + t + "/cell-1";
            running.add(pool.submit(() -> {
                start.await();
                for (int b = 0; b < batches; b++) {
                    sender.send(List.of(state(asset, 2 * b), state(asset, 2 * b + 1)));
                }
                return null;
            }));
        }
        start.countDown();
        try {
            for (Future<?> thread : running) {
                thread.get(60, TimeUnit.SECONDS);
            }
            assertThat(sender.openSenders()).as("senders the four threads opened").isBetween(2, 4);
        } finally {
            pool.shutdownNow();
            sender.destroy();
        }
        Map<String, List<Integer>> received = new HashMap<>();
        for (Message message = states.receive(5_000); message != null; message = states.receive(500)) {
            JsonNode event = json(message);
            received.computeIfAbsent(event.path("subject").asText(), any -> new ArrayList<>())
                    .add(Integer.parseInt(event.path("data").path("orderId").asText()));
        }
        assertThat(received).hasSize(threads);
        List<Integer> expected = java.util.stream.IntStream.range(0, 2 * batches).boxed().toList();
        received.forEach((asset, order) -> assertThat(order).as("events of %s", asset).containsExactlyElementsOf(expected));
    }

    // a broker that went away fails the batch (the publish route retries it) and frees the sender's place;
    // once the broker is back the next batch goes through a new connection
    @Test
    void aFailedSenderIsClosedAndItsPlaceFreed_theNextSendReconnects() throws Exception {
        ArtemisEventSender sender = sender(MesProperties.ArtemisSignals.BATCH, 1);
        try {
            sender.send(List.of(state("acme/site/area/line-1/cell-1", 1)));
            assertThat(sender.openSenders()).isEqualTo(1);
            subscriber.close();
            broker.close();
            assertThatThrownBy(() -> sender.send(List.of(state("acme/site/area/line-1/cell-1", 2))))
                    .isInstanceOfAny(JMSException.class, RuntimeException.class);
            assertThat(sender.openSenders()).as("the failed sender's place").isZero();

            broker = new EmbeddedArtemisBroker("127.0.0.1", port, dataDir);
            broker.start();
            subscriber = new ActiveMQConnectionFactory(broker.acceptorUri()).createConnection();
            subscriber.start();
            Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer states = session.createConsumer(session.createTopic(EventType.MACHINE_STATE.destination()));
            sender.send(List.of(state("acme/site/area/line-1/cell-1", 3)));
            Message message = states.receive(5_000);
            assertThat(message).isNotNull();
            assertThat(json(message).path("data").path("orderId").asText()).isEqualTo("3");
        } finally {
            sender.destroy();
        }
    }

    private ArtemisEventSender sender(MesProperties.ArtemisSignals mode) {
        return sender(mode, 4);
    }

    private ArtemisEventSender sender(MesProperties.ArtemisSignals mode, int senders) {
        return sender(mode, senders, null);
    }

    private ArtemisEventSender sender(MesProperties.ArtemisSignals mode, int senders, AddressListeners listeners) {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        MesProperties mes = new MesProperties("127.0.0.1:1", 3, (short) 1, java.time.Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, mode, true, "lz4", 20_000, senders);
        return new ArtemisEventSender(artemis, mes, listeners);
    }

    private static OutgoingEvent state(String asset, int sequence) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", asset, Instant.now(), null,
                new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, String.valueOf(sequence), "0010"));
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope));
    }

    private static OutgoingEvent signal(String tag, double value) throws Exception {
        return outgoing(EventType.SIGNAL, new Signal(tag, value, "CEL", Quality.GOOD, "0x00000000"));
    }

    private static OutgoingEvent state() throws Exception {
        return outgoing(EventType.MACHINE_STATE, new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, "1000011", "0010"));
    }

    private static OutgoingEvent outgoing(EventType type, Object data) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(type, "opcua://test", "acme/site/area/line-1/cell-1", Instant.now(), null, data);
        return new OutgoingEvent(type, envelope, JSON.writeValueAsBytes(envelope));
    }

    private static JsonNode json(Message message) throws Exception {
        BytesMessage bytes = (BytesMessage) message;
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return JSON.readTree(body);
    }
}
