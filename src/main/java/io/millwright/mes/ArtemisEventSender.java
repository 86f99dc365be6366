package io.millwright.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import io.millwright.ops.AddressListeners;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
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
 *
 * <p>Each publishing thread (the OPC UA connections' hand-off workers, the other adapters) takes a
 * sender of its own from a small pool ({@code millwright.mes.artemis-senders}, one connection and
 * transacted session each): with one shared session the workers waited for each other's commit
 * round trips (15.8 s of 29 s in a flight recording at 50,000 signals/s, docs/benchmarks.md). One
 * asset's events come from one thread, one batch after the other, so they stay in order. A signal
 * batch is cut into messages of at most {@value #MAX_SIGNAL_BATCH_BYTES} bytes: under Artemis's
 * large-message size (100 KiB), above which the broker writes each message to a file of its own.
 *
 * <p>Signals go to Artemis only while someone listens on {@code millwright.events.signal}
 * ({@link AddressListeners}, the embedded broker's routing table): a multicast message without a
 * binding is dropped by the broker anyway, and at plant scale sending them cost the broker's threads
 * about a tenth of the hub's CPU (docs/benchmarks.md). A subscriber receives every signal published
 * after its subscription exists, as before. Skipped signals are counted
 * ({@code millwright.mes.artemis.signals.unheard}); the switch is logged each way.
 */
@Component
public class ArtemisEventSender implements DisposableBean {

    /** Bean name, for the route's {@code bean:} endpoint. */
    public static final String BEAN = "artemisEventSender";

    /** Most bytes of one signal batch message: under Artemis's default min-large-message-size of 100 KiB. */
    static final int MAX_SIGNAL_BATCH_BYTES = 96 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ArtemisEventSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer text fields are not worth filtering on and would bloat every message. */
    private static final int MAX_PROPERTY_TEXT = 256;
    /** How long a publisher waits for a pooled sender before it asks again (a failed one frees its place). */
    private static final long WAIT_MILLIS = 100;

    private final ActiveMQConnectionFactory factory;
    private final MesProperties.ArtemisSignals signals;
    private final BlockingDeque<Sender> idle = new LinkedBlockingDeque<>();
    private final int maxSenders;
    private final Semaphore places;
    private volatile boolean closed;
    /** Null when the broker is not the hub's own: then signals are always sent. */
    private final AddressListeners listeners;
    private final LongAdder unheardSignals = new LongAdder();
    private volatile boolean signalsHeard = true;

    /** A sender that always sends signals (no broker routing table to ask). */
    public ArtemisEventSender(ArtemisProperties properties, MesProperties mes) {
        this(properties, mes, (AddressListeners) null);
    }

    @Autowired
    public ArtemisEventSender(ArtemisProperties properties, MesProperties mes, ObjectProvider<AddressListeners> listeners) {
        this(properties, mes, listeners.getIfAvailable());
    }

    /** @param listeners who listens on the embedded broker's addresses, or null to always send signals */
    public ArtemisEventSender(ArtemisProperties properties, MesProperties mes, AddressListeners listeners) {
        this.listeners = listeners;
        this.signals = mes.artemisSignals();
        this.maxSenders = mes.artemisSenders();
        this.places = new Semaphore(maxSenders);
        this.factory = new ActiveMQConnectionFactory(properties.getBrokerUrl(), properties.getUser(), properties.getPassword());
        // sends inside a transaction need no answer each; the commit is the round trip
        this.factory.setBlockOnDurableSend(false);
    }

    /** Registers {@code millwright.mes.artemis.signals.unheard} where the hub has a meter registry. */
    @Autowired
    void registerCounter(ObjectProvider<MeterRegistry> registry) {
        registry.ifAvailable(meters -> FunctionCounter.builder("millwright.mes.artemis.signals.unheard", unheardSignals,
                        LongAdder::sum)
                .description("Signals not sent to Artemis because nobody subscribed to " + EventType.SIGNAL.destination())
                .register(meters));
    }

    /** Signals not sent because nobody listened on their address. */
    long unheardSignals() {
        return unheardSignals.sum();
    }

    /** Sends a batch in one transaction, on a sender of the pool. */
    public void send(List<OutgoingEvent> events) throws JMSException {
        if (events.isEmpty()) {
            return;
        }
        boolean heard = signalsHeard();
        if (!heard && onlySignals(events)) {
            unheardSignals.add(events.size());
            return;
        }
        Sender sender = null;
        boolean sent = false;
        try {
            sender = take();
            sender.send(events, heard);
            sent = true;
        } catch (JMSException | RuntimeException e) {
            log.warn("Artemis did not take a batch of events, reconnecting on the next send events={} reason={}",
                    events.size(), e.getMessage());
            throw e;
        } finally {
            if (sender != null && sent && !closed) {
                idle.offerFirst(sender);
            } else if (sender != null) {
                sender.close();
                places.release();
            }
        }
    }

    /** Whether signals are to be sent now: someone listens on their address, or nobody can tell. */
    private boolean signalsHeard() {
        if (listeners == null || signals == MesProperties.ArtemisSignals.NONE) {
            return true;
        }
        boolean heard = listeners.any(EventType.SIGNAL.destination());
        if (heard != signalsHeard) {
            signalsHeard = heard;
            if (heard) {
                log.info("Signals on Artemis: a subscriber listens on {}, signals are sent there again", EventType.SIGNAL.destination());
            } else {
                log.info("Signals on Artemis: nobody subscribes to {}, signals are not sent there until someone does"
                        + " (other event types are sent as always)", EventType.SIGNAL.destination());
            }
        }
        return heard;
    }

    private static boolean onlySignals(List<OutgoingEvent> events) {
        for (OutgoingEvent event : events) {
            if (event.type() != EventType.SIGNAL) {
                return false;
            }
        }
        return true;
    }

    /** An idle sender, a new one while the pool has room, or the next one another thread gives back. */
    private Sender take() throws JMSException {
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the Artemis event sender is closed (the hub is stopping)");
                }
                Sender sender = idle.pollFirst();
                if (sender != null) {
                    return sender;
                }
                if (places.tryAcquire()) {
                    try {
                        return new Sender();
                    } catch (JMSException | RuntimeException e) {
                        places.release();
                        throw e;
                    }
                }
                sender = idle.pollFirst(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (sender != null) {
                    return sender;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an Artemis sender", e);
        }
    }

    /** Senders open now, idle or in use. */
    int openSenders() {
        return maxSenders - places.availablePermits();
    }

    /** One connection, transacted session and producer: used by one thread at a time. */
    private final class Sender {
        private final Connection connection;
        private final Session session;
        private final MessageProducer producer;
        private final Map<EventType, Topic> topics = new EnumMap<>(EventType.class);

        Sender() throws JMSException {
            connection = factory.createConnection();
            try {
                connection.start();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
                producer = session.createProducer(null);
                producer.setDisableMessageID(false);
                producer.setDisableMessageTimestamp(false);
            } catch (JMSException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        /** @param signalsHeard false: the batch's signals are counted as unheard instead of sent */
        void send(List<OutgoingEvent> events, boolean signalsHeard) throws JMSException {
            ByteArrayOutputStream signalBatch = null;
            int signalCount = 0;
            for (OutgoingEvent event : events) {
                if (event.type() == EventType.SIGNAL && (!signalsHeard || signals != MesProperties.ArtemisSignals.EACH)) {
                    if (!signalsHeard) {
                        unheardSignals.increment();
                    } else if (signals == MesProperties.ArtemisSignals.BATCH) {
                        if (signalBatch != null && signalBatch.size() + 2 + event.json().length > MAX_SIGNAL_BATCH_BYTES) {
                            sendSignalBatch(signalBatch, signalCount);
                            signalBatch = null;
                        }
                        if (signalBatch == null) {
                            signalBatch = startBatch(events.size());
                            signalCount = 0;
                        }
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
        }

        /**
         * Signals as one non-persistent message in the CloudEvents JSON batch format (a JSON array of
         * structured events, media type {@code application/cloudevents-batch+json}): one message where
         * there would be hundreds, on the same address, for MQTT and JMS alike.
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

        void close() {
            try {
                connection.close();
            } catch (JMSException e) {
                log.debug("Closing an Artemis connection reason={}", e.getMessage());
            }
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

    @Override
    public void destroy() {
        closed = true;
        for (Sender sender = idle.pollFirst(); sender != null; sender = idle.pollFirst()) {
            sender.close();
            places.release();
        }
        factory.close();
    }
}
