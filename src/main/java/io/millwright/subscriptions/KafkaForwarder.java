package io.millwright.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.IsoInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one Kafka subscription's topic {@code millwright.subscriptions.<name>}: a consumer in the
 * subscription's own group ({@link KafkaSubscriptionTopics#groupId}) reads the canonical topics of
 * the subscribed types, keeps the events whose asset path and data match, and produces them with
 * the same key (the asset path) and headers. Poll, produce, wait for the acknowledgements, then
 * commit: a crash re-sends at most the last poll (at-least-once; consumers dedupe by the CloudEvent
 * {@code id}), and one asset's events keep their order because they come from one partition and go
 * to one partition through an idempotent producer. A plain consumer loop rather than a camel-kafka
 * route so that the commit happens only after the produced records are acknowledged.
 */
class KafkaForwarder implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(KafkaForwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Delivery figures, for the status API and the metrics. */
    static final class Figures {
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong filteredOut = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong lagMillis = new AtomicLong();
        final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
        final AtomicReference<String> lastError = new AtomicReference<>();

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("forwarded", forwarded.get());
            map.put("filteredOut", filteredOut.get());
            map.put("failed", failures.get());
            map.put("lagMillis", lagMillis.get());
            map.put("lastDelivery", lastDelivery.get() == null ? null : lastDelivery.get().toString());
            map.put("lastError", lastError.get());
            return map;
        }
    }

    private final String name;
    private final List<String> sourceTopics;
    private final AssetFilter assets;
    private final FieldFilter fields;
    private final String bootstrapServers;
    private final Map<String, Object> login;
    final Figures figures;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    KafkaForwarder(String name, List<String> sourceTopics, AssetFilter assets, FieldFilter fields, String bootstrapServers,
            Map<String, Object> login, Figures figures) {
        this.login = Map.copyOf(login);
        this.name = name;
        this.sourceTopics = List.copyOf(sourceTopics);
        this.assets = assets;
        this.fields = fields;
        this.bootstrapServers = bootstrapServers;
        this.figures = figures;
    }

    void start() {
        thread = new Thread(this, "kafka-subscription-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the poll in hand (what was not committed is read again on the next start) and waits for the thread. */
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(),
                            new ByteArrayDeserializer());
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
                            new ByteArraySerializer())) {
                consumer = c;
                c.subscribe(sourceTopics);
                while (running) {
                    forward(c.poll(Duration.ofMillis(500)), producer);
                    c.commitSync();
                }
            } catch (WakeupException e) {
                // stop() woke the consumer: nothing to do
            } catch (Exception e) {
                figures.failures.incrementAndGet();
                figures.lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (running) {
                    log.warn("Kafka subscription lost its consumer or producer, reading again from the last commit in 1 s "
                            + "subscription={} reason={}", name, e.getMessage());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void forward(Iterable<ConsumerRecord<String, byte[]>> records, KafkaProducer<String, byte[]> producer)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        String lastReceived = null;
        for (ConsumerRecord<String, byte[]> record : records) {
            JsonNode event = JSON.readTree(record.value());
            String subject = record.key() != null ? record.key() : event.path("subject").asText(null);
            if (!assets.matches(subject) || !fields.matches(event)) {
                figures.filteredOut.incrementAndGet();
                continue;
            }
            sent.add(producer.send(new ProducerRecord<>(KafkaSubscriptionTopics.topic(name), null, record.key(), record.value(),
                    record.headers())));
            lastReceived = event.path("receivedtime").asText(null);
        }
        for (Future<RecordMetadata> future : sent) {
            future.get(); // a failed send throws: no commit, the poll is read again
        }
        if (!sent.isEmpty()) {
            Instant now = Instant.now();
            figures.forwarded.addAndGet(sent.size());
            figures.lastDelivery.set(now);
            if (lastReceived != null) {
                figures.lagMillis.set(Duration.between(IsoInstants.parse(lastReceived), now).toMillis());
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        return withLogin(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, KafkaSubscriptionTopics.groupId(name),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // the group's start offsets are set to the end when the subscription is created
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
    }

    private Map<String, Object> producerConfig() {
        return withLogin(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    private Map<String, Object> withLogin(Map<String, Object> config) {
        Map<String, Object> all = new java.util.HashMap<>(login);
        all.putAll(config);
        return all;
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
