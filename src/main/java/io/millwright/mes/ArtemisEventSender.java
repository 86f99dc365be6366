package io.millwright.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.stereotype.Component;

/**
 * Sends events to their Artemis multicast addresses ({@code millwright.events.<type>}), where MQTT,
 * AMQP, STOMP and JMS subscribers read the same JSON, as bytes messages with the CloudEvents
 * attributes as {@code ce_} properties.
 *
 * <p>One transacted session sends a whole batch and commits once: one round trip to the broker per
 * batch instead of one per durable message, with the broker's guarantee unchanged (a committed
 * persistent message is on disk). Signals are sent non-persistent (telemetry the next value
 * supersedes), by default as one CloudEvents JSON batch message per batch
 * ({@code millwright.mes.artemis-signals}); machine states and counts one persistent message each
 * ({@link EventType#isDurable()}). A failed send or commit throws: the publish route retries the
 * batch, then dead-letters it.
 */
@Component
public class ArtemisEventSender implements DisposableBean {

    /** Bean name, for the route's {@code bean:} endpoint. */
    public static final String BEAN = "artemisEventSender";

    private static final Logger log = LoggerFactory.getLogger(ArtemisEventSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer text fields are not worth filtering on and would bloat every message. */
    private static final int MAX_PROPERTY_TEXT = 256;

    private final ActiveMQConnectionFactory factory;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private final Map<EventType, Topic> topics = new EnumMap<>(EventType.class);

    private final MesProperties.ArtemisSignals signals;

    public ArtemisEventSender(ArtemisProperties properties, MesProperties mes) {
        this.signals = mes.artemisSignals();
        this.factory = new ActiveMQConnectionFactory(properties.getBrokerUrl(), properties.getUser(), properties.getPassword());
        // sends inside a transaction need no answer each; the commit is the round trip
        this.factory.setBlockOnDurableSend(false);
    }

    /** Sends a batch in one transaction. */
    public synchronized void send(List<OutgoingEvent> events) throws JMSException {
        if (events.isEmpty()) {
            return;
        }
        try {
            open();
            ByteArrayOutputStream signalBatch = null;
            int signalCount = 0;
            for (OutgoingEvent event : events) {
                if (event.type() == EventType.SIGNAL && signals != MesProperties.ArtemisSignals.EACH) {
                    if (signals == MesProperties.ArtemisSignals.BATCH) {
                        signalBatch = signalBatch == null ? startBatch(events.size()) : signalBatch;
                        if (signalCount++ > 0) {
                            signalBatch.write(',');
                        }
                        signalBatch.writeBytes(event.json());
                    }
                    continue;
                }
                EventEnvelope<?> envelope = event.envelope();
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(event.json());
                message.setStringProperty("ce_specversion", envelope.specversion());
                message.setStringProperty("ce_id", envelope.id());
                message.setStringProperty("ce_type", envelope.type());
                message.setStringProperty("ce_source", envelope.source());
                if (envelope.subject() != null) {
                    message.setStringProperty("ce_subject", envelope.subject());
                    setAssetLevels(message, envelope.subject());
                }
                if (envelope.time() != null) {
                    message.setStringProperty("ce_time", envelope.time().toString());
                }
                if (event.type().isDurable()) {
                    setDataFields(message, event.json());
                }
                int deliveryMode = event.type().isDurable() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
                producer.send(topic(event.type()), message, deliveryMode, jakarta.jms.Message.DEFAULT_PRIORITY, 0L);
            }
            if (signalBatch != null) {
                sendSignalBatch(signalBatch, signalCount);
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            log.warn("Artemis did not take a batch of events, reconnecting on the next send events={} reason={}",
                    events.size(), e.getMessage());
            closeQuietly();
            throw e;
        }
    }

    /**
     * One property per level of the asset path ({@code mw_asset_1=acme}, ...) and the depth, so a
     * subscription's broker-side filter can match MQTT-style wildcards ({@code +}, {@code #}) exactly.
     */
    private static void setAssetLevels(BytesMessage message, String assetPath) throws JMSException {
        String[] levels = assetPath.split("/");
        message.setIntProperty(MessageHeaders.ASSET_DEPTH, levels.length);
        for (int i = 0; i < levels.length; i++) {
            message.setStringProperty(MessageHeaders.ASSET_LEVEL_PREFIX + (i + 1), levels[i]);
        }
    }

    /**
     * One property per top-level scalar field of the event's data ({@code mw_data_state=RUNNING},
     * {@code mw_data_quantity=12}), so a subscription's field filter runs in the broker. Durable
     * events only: they are the ones subscriptions receive, and they are few beside the signals.
     */
    private static void setDataFields(BytesMessage message, byte[] json) throws JMSException {
        JsonNode data;
        try {
            data = JSON.readTree(json).path("data");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("event JSON the hub wrote is unreadable", e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String property = MessageHeaders.DATA_FIELD_PREFIX + field.getKey();
            JsonNode value = field.getValue();
            if (value.isTextual() && value.textValue().length() <= MAX_PROPERTY_TEXT) {
                message.setStringProperty(property, value.textValue());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                message.setLongProperty(property, value.longValue());
            } else if (value.isNumber()) {
                message.setDoubleProperty(property, value.doubleValue());
            } else if (value.isBoolean()) {
                message.setBooleanProperty(property, value.booleanValue());
            }
        }
    }

    private static ByteArrayOutputStream startBatch(int events) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream(events * 400);
        batch.write('[');
        return batch;
    }

    /**
     * The signals of a batch as one non-persistent message in the CloudEvents JSON batch format
     * (a JSON array of structured events, media type {@code application/cloudevents-batch+json}):
     * one message where there would be hundreds, on the same address, for MQTT and JMS alike.
     */
    private void sendSignalBatch(ByteArrayOutputStream batch, int count) throws JMSException {
        batch.write(']');
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(batch.toByteArray());
        message.setStringProperty("content_type", "application/cloudevents-batch+json");
        message.setStringProperty("ce_type", EventType.SIGNAL.cloudEventType());
        message.setIntProperty("ce_batchsize", count);
        producer.send(topic(EventType.SIGNAL), message, DeliveryMode.NON_PERSISTENT, jakarta.jms.Message.DEFAULT_PRIORITY, 0L);
    }

    private Topic topic(EventType type) throws JMSException {
        Topic topic = topics.get(type);
        if (topic == null) {
            topic = session.createTopic(type.destination());
            topics.put(type, topic);
        }
        return topic;
    }

    private void open() throws JMSException {
        if (session == null) {
            connection = factory.createConnection();
            connection.start();
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            producer = session.createProducer(null);
            producer.setDisableMessageID(false);
            producer.setDisableMessageTimestamp(false);
            topics.clear();
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException e) {
            log.debug("Closing a failed Artemis connection reason={}", e.getMessage());
        } finally {
            connection = null;
            session = null;
            producer = null;
        }
    }

    @Override
    public synchronized void destroy() {
        closeQuietly();
        factory.close();
    }
}
