package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.model.PublishedRecordListener;
import io.millwright.testsupport.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

/**
 * The publisher holds at most {@code millwright.mes.kafka-max-unacknowledged} events waiting for
 * the broker: each is held for its failure callback, so an unbounded number of them filled the
 * heap of a hub whose embedded broker fell behind. Every event still arrives, and the count returns
 * to 0 once the broker has acknowledged them all.
 */
class KafkaEventSenderTest {

    private static final int LIMIT = 100;
    private static final int EVENTS = 5_000;

    @TempDir Path dataDir;
    EmbeddedKraftKafka kafka;

    @BeforeEach
    void startKafka() throws Exception {
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir.resolve("kafka"), 3);
        kafka.start();
    }

    @AfterEach
    void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void tellsItsListenersOfEachAcknowledgedRecord_withTheOffsetKafkaGaveIt() throws Exception {
        MesProperties mes = new MesProperties(kafka.bootstrapServers(), 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, true, MesProperties.ArtemisSignals.BATCH, true, "lz4", LIMIT);
        KafkaEventSender sender = new KafkaEventSender(mes, null);
        Map<String, String> told = new ConcurrentHashMap<>(); // "partition/offset" -> the record's text
        PublishedRecordListener listener = (topic, partition, offset, timestamp, value) ->
                told.put(topic + "/" + partition + "/" + offset, new String(value, StandardCharsets.UTF_8));
        sender.listenTo(new StaticListableBeanFactory(Map.of("listener", listener)).getBeanProvider(PublishedRecordListener.class));
        try {
            List<OutgoingEvent> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(event(i));
            }
            sender.send(batch);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sender.unacknowledged() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        } finally {
            sender.destroy();
        }
        assertThat(told).hasSize(300);
        // what the listener was told is what Kafka holds at that partition and offset
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "compare",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(EventType.MACHINE_STATE.destination()));
            Map<String, String> inKafka = new HashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (inKafka.size() < 300 && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> inKafka.put(record.topic() + "/" + record.partition() + "/" + record.offset(), record.value()));
            }
            assertThat(told).isEqualTo(inKafka);
        }
    }

    @Test
    void atMostTheLimitWaitsForTheBroker_andEveryEventArrives() throws Exception {
        MesProperties mes = new MesProperties(kafka.bootstrapServers(), 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, true, MesProperties.ArtemisSignals.BATCH, true, "lz4", LIMIT);
        KafkaEventSender sender = new KafkaEventSender(mes, null);
        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sending.get()) {
                mostWaiting.accumulateAndGet(sender.unacknowledged(), Math::max);
                Thread.onSpinWait();
            }
        });
        sampler.start();
        try {
            for (int sent = 0; sent < EVENTS; sent += 500) {
                List<OutgoingEvent> batch = new ArrayList<>(500);
                for (int i = sent; i < sent + 500; i++) {
                    batch.add(event(i));
                }
                sender.send(batch);
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sender.unacknowledged() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            sending.set(false);
            sampler.join();
            assertThat(sender.unacknowledged()).as("waiting once the broker acknowledged everything").isZero();
            assertThat(mostWaiting.get()).as("most events waiting at once").isPositive().isLessThanOrEqualTo(LIMIT);
        } finally {
            sending.set(false);
            sender.destroy();
        }
        assertThat(readAll(EventType.MACHINE_STATE.destination())).isEqualTo(EVENTS);
    }

    private static OutgoingEvent event(int i) {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", "acme/plant/line-1/machine-" + (i % 50),
                Instant.now(), null, new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, "1000011", "0010"));
        byte[] json = ("{\"id\":\"" + envelope.id() + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, json);
    }

    private int readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "count-all",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read < EVENTS && System.nanoTime() < until) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            return read;
        }
    }
}
