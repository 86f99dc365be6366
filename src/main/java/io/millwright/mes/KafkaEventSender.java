package io.millwright.mes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.Parked;
import io.millwright.model.PublishedRecordListener;
import io.millwright.ops.KafkaClientProperties;
import io.millwright.ops.Lz4Codec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends events to their Kafka topics with one long-lived, idempotent producer: batched by the
 * producer (linger), never waited for per event. A send Kafka fails (after the producer's own
 * retries) is parked in the dead-letter store from the producer's callback, with the reason,
 * resubmittable to {@value Endpoints#EVENT_PUBLISH}: never dropped silently.
 *
 * <p>Structured CloudEvents (Kafka protocol binding 3.2): the value is the JSON envelope, the
 * {@code content-type} header says so. States, counts and confirmations also carry the
 * {@code ce_} attributes as headers, so a consumer can route on them without parsing the value;
 * signals do not: at tens of thousands a second the six headers cost the producer and the broker
 * more than the rest of the record (measured, docs/benchmarks.md), and the topic already says
 * the type.
 *
 * <p>At most {@code millwright.mes.kafka-max-unacknowledged} events wait for the broker's
 * acknowledgement; at the limit {@link #send} waits for room, which holds back the telemetry
 * hand-off. Each waiting event is held for its failure callback, and the producer's own
 * {@code buffer.memory} counts compressed bytes only: an overloaded embedded broker once let 350,000
 * events (176 MB) wait in a 512 MB heap, and the hub never caught up again.
 */
@Component
public class KafkaEventSender implements DisposableBean {

    /** Bean name, for the route's {@code bean:} endpoint. */
    public static final String BEAN = "kafkaEventSender";

    private static final Logger log = LoggerFactory.getLogger(KafkaEventSender.class);
    private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
    /** As long as the producer's own {@code max.block.ms}: then the batch fails and the route's error handling takes it. */
    private static final long MAX_WAIT_MILLIS = 60_000;
    private static final byte[] CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8);

    private final MesProperties properties;
    private final ProducerTemplate parking;
    private final KafkaClientProperties client;
    private final Semaphore unacknowledged;
    private final int maxUnacknowledged;
    private volatile KafkaProducer<String, byte[]> producer;
    /** Told of each acknowledged record (the analytics feed's hand-off); none when nothing listens. */
    private volatile PublishedRecordListener[] listeners = new PublishedRecordListener[0];

    /** A sender to an unsecured cluster (PLAINTEXT). */
    public KafkaEventSender(MesProperties properties, ProducerTemplate parking) {
        this(properties, parking, KafkaClientProperties.PLAINTEXT);
    }

    /** A sender that logs in as {@code client} says (the hub's user on the embedded broker). */
    @Autowired
    public KafkaEventSender(MesProperties properties, ProducerTemplate parking, KafkaClientProperties client) {
        this.properties = properties;
        this.parking = parking;
        this.client = client;
        this.maxUnacknowledged = properties.kafkaMaxUnacknowledged();
        this.unacknowledged = new Semaphore(maxUnacknowledged);
    }

    /** Registers the gauge {@code millwright.mes.kafka.unacknowledged} where the hub has a meter registry. */
    @Autowired
    void registerGauge(ObjectProvider<MeterRegistry> registry) {
        registry.ifAvailable(meters -> Gauge.builder("millwright.mes.kafka.unacknowledged", this, KafkaEventSender::unacknowledged)
                .description("Events handed to the Kafka producer and not yet acknowledged by the broker (publishing waits at millwright.mes.kafka-max-unacknowledged)")
                .register(meters));
    }

    /** Tells the hub's in-process readers (the analytics feed) of each record Kafka has acknowledged. */
    @Autowired
    void listenTo(ObjectProvider<PublishedRecordListener> published) {
        listeners = published.orderedStream().toArray(PublishedRecordListener[]::new);
    }

    /** Events handed to the producer and not yet acknowledged (or failed). */
    public int unacknowledged() {
        return maxUnacknowledged - unacknowledged.availablePermits();
    }

    /** Created on the first send, so a hub whose flows publish nothing never connects. */
    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = newProducer();
                }
                current = producer;
            }
        }
        return current;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> config = new HashMap<>(client.asClientConfig());
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafkaBootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "millwright-events",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, (int) properties.kafkaLinger().toMillis(),
                ProducerConfig.BATCH_SIZE_CONFIG, (int) properties.kafkaBatchSize().toBytes(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_WAIT_MILLIS,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, properties.kafkaCompression()));
        log.info("Kafka event producer created bootstrap={} compression={} lz4Codec={} lingerMs={}", properties.kafkaBootstrapServers(),
                properties.kafkaCompression(), Lz4Codec.inUse(), properties.kafkaLinger().toMillis());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Hands every event of a batch to the producer; returns at once, the callbacks report failures. */
    public void send(List<OutgoingEvent> events) {
        KafkaProducer<String, byte[]> producer = producer();
        for (OutgoingEvent event : events) {
            EventEnvelope<?> envelope = event.envelope();
            RecordHeaders headers = new RecordHeaders();
            headers.add("content-type", CONTENT_TYPE);
            if (event.type() != EventType.SIGNAL) {
                headers.add("ce_specversion", SPEC_VERSION);
                headers.add("ce_id", bytes(envelope.id()));
                headers.add("ce_type", bytes(envelope.type()));
                headers.add("ce_source", bytes(envelope.source()));
                if (envelope.subject() != null) {
                    headers.add("ce_subject", bytes(envelope.subject()));
                }
                if (envelope.time() != null) {
                    headers.add("ce_time", bytes(envelope.time().toString()));
                }
            }
            var record = new ProducerRecord<>(event.type().destination(), null, event.key(), event.json(), headers);
            waitForRoom();
            // the callback keeps what a dead letter needs, not the envelope and its data
            Unacknowledged sent = new Unacknowledged(event.type(), envelope.id(), envelope.correlationid(), event.json());
            try {
                producer.send(record, (metadata, failure) -> {
                    unacknowledged.release();
                    if (failure != null) {
                        park(sent, failure);
                    } else {
                        tell(metadata, sent.json());
                    }
                });
            } catch (RuntimeException e) {
                unacknowledged.release(); // thrown before the producer took it: no callback comes
                throw e;
            }
        }
    }

    private void waitForRoom() {
        try {
            if (!unacknowledged.tryAcquire(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka has not acknowledged " + maxUnacknowledged + " events for "
                        + MAX_WAIT_MILLIS / 1000 + " s (millwright.mes.kafka-max-unacknowledged): the broker is down or far behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge events", e);
        }
    }

    /** An event the producer holds until the broker answers: what parking it needs. */
    private record Unacknowledged(EventType type, String id, String correlationId, byte[] json) {}

    private void park(Unacknowledged event, Exception failure) {
        log.warn("Kafka did not take an event topic={} id={} reason={}", event.type().destination(), event.id(),
                failure.getMessage());
        var parked = new Parked(EventPublishRoute.ROUTE_ID, Endpoints.EVENT_PUBLISH,
                "Kafka did not take the event for topic " + event.type().destination() + ": " + failure.getMessage()
                        + "; resubmit once Kafka is back (it is then sent to Kafka and Artemis again; consumers dedupe by id)",
                failure.getClass().getName(), event.correlationId(),
                new String(event.json(), StandardCharsets.UTF_8));
        // off the producer's I/O thread: parking writes to the database
        parking.asyncSendBody(Endpoints.PARK, List.of(parked));
    }

    private void tell(RecordMetadata metadata, byte[] value) {
        if (!metadata.hasOffset()) {
            return;
        }
        for (PublishedRecordListener listener : listeners) {
            listener.published(metadata.topic(), metadata.partition(), metadata.offset(), metadata.timestamp(), value);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void destroy() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
