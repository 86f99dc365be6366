package io.millwright.backbone;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.testsupport.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKraftKafkaTest {

    @TempDir
    static Path dataDir;

    static EmbeddedKraftKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir, 3);
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The log cleaner's dedupe buffer lives on the heap: Kafka's 128 MB default was a quarter of the hub's. */
    @Test
    void logCleanerDedupeBuffer_isSixteenMegabytesNotKafkasDefault128() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertThat(config.get("log.cleaner.dedupe.buffer.size").value()).isEqualTo(String.valueOf(16 * 1024 * 1024));
            assertThat(config.get("log.cleaner.enable").value()).as("compaction of __consumer_offsets still runs").isEqualTo("true");
        }
    }

    @Test
    void consumerReadsRecord_whenPlainProducerSendsToAutoCreatedTopic() throws Exception {
        String topic = "millwright.test.round-trip";
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, "line1/press-01", "{\"state\":\"RUNNING\"}")).get();
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(kafka, topic, 1);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("line1/press-01");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"RUNNING\"}");
        });
    }

    // The lead's publish route uses camel-kafka; MES consumers read plain Kafka records with CloudEvents headers.
    @Test
    void plainConsumerGetsPayloadAndCeHeaders_whenCamelKafkaProduces() throws Exception {
        String topic = "millwright.events.machine-state";
        byte[] payload = "{\"asset\":\"line1/press-01\",\"state\":\"STOPPED\"}".getBytes(StandardCharsets.UTF_8);
        try (CamelContext camel = new DefaultCamelContext()) {
            KafkaComponent component = new KafkaComponent();
            component.getConfiguration().setBrokers(kafka.bootstrapServers());
            camel.addComponent("kafka", component);
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();

            producer.sendBodyAndHeaders("kafka:" + topic, payload, Map.of(
                    "ce_type", "io.millwright.machine-state.v1",
                    "ce_id", "b1f0c6c2-0000-4000-8000-000000000001",
                    "kafka.KEY", "line1/press-01"));
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(kafka, topic, 1);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("line1/press-01");
            assertThat(r.value()).isEqualTo(payload);
            assertThat(headerText(r, "ce_type")).isEqualTo("io.millwright.machine-state.v1");
            assertThat(headerText(r, "ce_id")).isEqualTo("b1f0c6c2-0000-4000-8000-000000000001");
            // Camel's own headers stay inside Camel (KafkaHeaderFilterStrategy)
            assertThat(r.headers().toArray()).extracting(Header::key).noneMatch(k -> k.startsWith("Camel"));
        });
    }

    // REFERENCE §6.4: Kafka's formatter refuses a formatted directory unless told to ignore it.
    @Test
    void earlierRecordStillReadable_whenBrokerRestartsOnSameDataDir(@TempDir Path ownDataDir) throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        String topic = "millwright.test.kept";
        EmbeddedKraftKafka first = new EmbeddedKraftKafka("127.0.0.1", port, controllerPort, ownDataDir, 1);
        first.start();
        try (KafkaProducer<String, String> producer = producer(first)) {
            producer.send(new ProducerRecord<>(topic, "k", "kept across restart")).get();
        } finally {
            first.close();
        }
        String clusterIdBefore = Files.readString(ownDataDir.resolve("kafka/meta.properties"));

        EmbeddedKraftKafka second = new EmbeddedKraftKafka("127.0.0.1", port, controllerPort, ownDataDir, 1);
        second.start();
        try {
            List<ConsumerRecord<String, byte[]>> records = readAll(second, topic, 1);
            assertThat(records).singleElement()
                    .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("kept across restart"));
            assertThat(Files.readString(ownDataDir.resolve("kafka/meta.properties"))).isEqualTo(clusterIdBefore);
        } finally {
            second.close();
        }
    }

    private static KafkaProducer<String, String> producer(EmbeddedKraftKafka broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKraftKafka broker, String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(ofSeconds(20)).untilAsserted(() -> {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).hasSizeGreaterThanOrEqualTo(expected);
            });
        }
        return records;
    }

    private static String headerText(ConsumerRecord<?, ?> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
