package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.backbone.KafkaUsers;
import io.millwright.ops.KafkaClientProperties;
import io.millwright.mes.KafkaEventSender;
import io.millwright.mes.MesProperties;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.testsupport.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A Kafka subscription against a real embedded KRaft Kafka, read by a plain KafkaConsumer (not
 * Camel): its topic exists with the configured partitions before the first event, it receives every
 * event of its line whose state matches the field filter from the moment it was created, in order
 * per asset and keyed by the asset path, nothing older and nothing else; the status counts them.
 * The broker is secured as the packaged hub's is (SASL/SCRAM, ACLs): the hub's side logs in as the
 * hub, the MES as {@code mes}.
 */
class KafkaSubscriptionTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String LINE_1 = "acme/springfield/assembly/line-1";
    static final String LINE_2 = "acme/springfield/assembly/line-2";
    static final Set<EventType> TYPES = EnumSet.of(EventType.MACHINE_STATE);
    static final String HUB = "millwright-hub";
    static final String HUB_PASSWORD = "test-hub-Kafka-9";
    static final String MES = "mes";
    static final String MES_PASSWORD = "test-mes-Kafka-9";
    static final KafkaClientProperties HUB_LOGIN =
            new KafkaClientProperties("SASL_PLAINTEXT", "SCRAM-SHA-256", HUB, HUB_PASSWORD, null, null, "PKCS12");

    @TempDir Path dataDir;
    EmbeddedKraftKafka kafka;
    KafkaSubscriptionTopics topics;
    KafkaEventSender sender;

    @BeforeEach
    void start() throws Exception {
        // secured as the packaged hub's embedded Kafka is by default: SASL/SCRAM, ACLs, no anonymous client
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir, 3,
                new KafkaUsers(HUB, HUB_PASSWORD, MES, MES_PASSWORD), null);
        kafka.start();
        try (Admin admin = hubAdmin()) {
            admin.createTopics(List.of(new NewTopic(EventType.MACHINE_STATE.destination(), 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // the hub's subscription admin and forwarders log in as the hub (millwright.kafka.client.*)
        topics = new KafkaSubscriptionTopics(kafka.bootstrapServers(), HUB_LOGIN.asClientConfig(), 2, (short) 1,
                Duration.ofDays(1), DataSize.ofMegabytes(100).toBytes(), null);
        sender = sender();
    }

    KafkaEventSender sender() {
        return new KafkaEventSender(new MesProperties(kafka.bootstrapServers(), 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH), null, HUB_LOGIN);
    }

    Admin hubAdmin() {
        Map<String, Object> config = new java.util.HashMap<>(HUB_LOGIN.asClientConfig());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(config);
    }

    @AfterEach
    void stop() throws Exception {
        topics.close();
        sender.destroy();
        kafka.close();
    }

    @Test
    void plainConsumer_getsItsLinesMatchingEventsInOrderPerAsset_fromCreationOn() throws Exception {
        List<OutgoingEvent> before = List.of(state(LINE_1 + "/machine-1", MachineState.RUNNING));
        sender.send(before);
        sender.destroy(); // flushes: the event is on the canonical topic before the subscription exists
        sender = sender();

        topics.create("line1-kafka", TYPES);
        topics.start("line1-kafka", TYPES, AssetFilter.parse(LINE_1 + "/#"),
                FieldFilterTest.filter("{\"data.state\": {\"ne\": \"IDLE\"}}"));

        Map<String, List<String>> expected = new LinkedHashMap<>();
        List<OutgoingEvent> events = new ArrayList<>();
        MachineState[] states = MachineState.values();
        for (int i = 0; i < 240; i++) {
            String asset = (i % 2 == 0 ? LINE_1 : LINE_2) + "/machine-" + (i % 3 + 1);
            MachineState s = states[(i / 2) % states.length];
            OutgoingEvent event = state(asset, s);
            events.add(event);
            if (asset.startsWith(LINE_1) && s != MachineState.IDLE) {
                expected.computeIfAbsent(asset, a -> new ArrayList<>()).add(event.envelope().id());
            }
        }
        int total = expected.values().stream().mapToInt(List::size).sum();
        assertThat(total).as("control: matching and other events are sent").isBetween(60, 119);

        Map<String, Object> mesConfig = new java.util.HashMap<>(KafkaUsers.scramClient("SASL_PLAINTEXT", MES, MES_PASSWORD));
        mesConfig.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "mes-line1",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // the subscriber must not be what creates the topic
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false));
        // the MES reads as mes, the consumers' user (read-only)
        try (KafkaConsumer<String, String> mes = new KafkaConsumer<>(mesConfig, new StringDeserializer(), new StringDeserializer())) {
            assertThat(mes.partitionsFor(KafkaSubscriptionTopics.topic("line1-kafka"), Duration.ofSeconds(30)))
                    .as("the topic exists before the first event, with the configured partitions").hasSize(2);
            mes.subscribe(List.of(KafkaSubscriptionTopics.topic("line1-kafka")));

            for (int from = 0; from < events.size(); from += 40) {
                sender.send(events.subList(from, from + 40));
            }

            Map<String, List<String>> received = new LinkedHashMap<>();
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < total && System.nanoTime() < until) {
                mes.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.addAll(pollMore(mes));
            for (ConsumerRecord<String, String> record : records) {
                JsonNode event = JSON.readTree(record.value());
                assertThat(record.key()).isEqualTo(event.path("subject").asText());
                assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                        .isEqualTo("io.millwright.machine-state.v1");
                received.computeIfAbsent(record.key(), a -> new ArrayList<>()).add(event.path("id").asText());
            }
            assertThat(received).isEqualTo(expected);
            assertThat(records).extracting(r -> JSON.readTree(r.value()).path("id").asText())
                    .as("the event from before the subscription").doesNotContain(before.get(0).envelope().id());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(topics.stats("line1-kafka", TYPES))
                .containsEntry("delivered", (long) total)
                .containsEntry("pending", 0L)
                .containsEntry("paused", false));

        topics.remove("line1-kafka");
        try (Admin admin = hubAdmin()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get()
                    .contains(KafkaSubscriptionTopics.topic("line1-kafka")));
        }
    }

    /** Half a second more: anything beyond the expected events would show up here. */
    private static List<ConsumerRecord<String, String>> pollMore(KafkaConsumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> more = new ArrayList<>();
        consumer.poll(Duration.ofMillis(500)).forEach(more::add);
        return more;
    }

    static OutgoingEvent state(String asset, MachineState state) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", asset, Instant.now(), null,
                new MachineStateChanged(state, MachineState.DOWN, "1000011", "0010"));
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope));
    }
}
