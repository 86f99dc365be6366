package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.millwright.testsupport.FreePorts;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
    EmbeddedArtemisBroker broker;
    Connection subscriber;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir);
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

    private ArtemisEventSender sender(MesProperties.ArtemisSignals mode) {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        MesProperties mes = new MesProperties("127.0.0.1:1", 3, (short) 1, java.time.Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, mode);
        return new ArtemisEventSender(artemis, mes);
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
