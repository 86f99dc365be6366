package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.ops.KafkaClientProperties;
import io.millwright.ops.KafkaRecordBatches;
import io.millwright.testsupport.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code analytics-feed:} consumer against a real (embedded KRaft) broker: the records published
 * before it started come from Kafka, those the publisher hands over from memory, the ones it did not
 * hand over (a full hand-off, another producer) from Kafka again; each record reaches the route once,
 * in order per partition, and the group's committed offsets stand at the end of the topic.
 */
class AnalyticsFeedComponentTest {

    static final String TOPIC = "millwright.events.signal";
    static final String GROUP = "test-analytics-feed";
    static final int PARTITIONS = 3;

    @TempDir Path dataDir;
    EmbeddedKraftKafka kafka;
    KafkaProducer<String, byte[]> producer;
    DefaultCamelContext camel;
    final FeedHandoff handoff = new FeedHandoff(1000);
    final List<KafkaRecordBatches.Record> received = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startKafka() throws Exception {
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir.resolve("kafka"), PARTITIONS);
        kafka.start();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        producer.close();
        kafka.close();
    }

    @Test
    void everyRecordOnceAndInOrder_fromTheHandoffWhereItHoldsThem_fromKafkaOtherwise() throws Exception {
        publish(0, 300, n -> false); // before the feed runs: only Kafka has them
        startFeed();
        awaitReceived(300);

        publish(300, 3300, n -> true); // handed over as the hub's publisher does
        awaitReceived(3300);
        assertThat(handoff.takenFromHandoff()).as("records taken from the hand-off").isGreaterThan(2000);

        publish(3300, 6300, n -> n % 10 != 0); // every tenth not handed over: a gap, read from Kafka
        awaitReceived(6300);

        assertThat(numbers()).as("each record once").doesNotHaveDuplicates().hasSize(6300);
        inOrderPerKey();
        assertThat(handoff.takenFromHandoff() + handoff.takenFromKafka()).isEqualTo(6300);
        assertThat(handoff.takenFromKafka()).as("the first 300 and the 300 gaps at least").isGreaterThanOrEqualTo(600);

        camel.getRouteController().stopRoute("feed");
        assertThat(committed()).as("committed offsets after the stop").isEqualTo(endOffsets());

        // a restart reads on from the committed offsets: nothing again
        received.clear();
        camel.getRouteController().startRoute("feed");
        publish(6300, 6310, n -> false);
        awaitReceived(10);
        assertThat(numbers()).containsExactlyInAnyOrder(6300, 6301, 6302, 6303, 6304, 6305, 6306, 6307, 6308, 6309);
    }

    @Test
    void twoHubsInOneGroup_eachRecordOnceAcrossBoth_theOtherHubsPartitionsReadFromKafka() throws Exception {
        publish(0, 300, n -> true);
        startFeed();
        awaitReceived(300);

        // a second hub joins the group: it publishes nothing, so it reads its partitions from Kafka; the first
        // hub's hand-off still brings every record, those of partitions it no longer has are let go
        FeedHandoff secondHandoff = new FeedHandoff(1000);
        List<KafkaRecordBatches.Record> secondReceived = Collections.synchronizedList(new ArrayList<>());
        try (DefaultCamelContext second = feed(secondHandoff, secondReceived)) {
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(this::bothMembersHavePartitions);
            publish(300, 3300, n -> true);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() + secondReceived.size() >= 3300);
            Thread.sleep(500); // nothing more may come
            List<Integer> all = new ArrayList<>(numbers());
            synchronized (secondReceived) {
                secondReceived.forEach(record -> all.add(Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8))));
            }
            assertThat(all).as("each record once across both hubs").doesNotHaveDuplicates().hasSize(3300);
            assertThat(secondReceived).as("the second hub read its partitions' records").isNotEmpty();
            assertThat(secondHandoff.takenFromHandoff()).as("it published none").isZero();
        }
    }

    /** Whether the group has two members and each has partitions of the topic (the rebalance is over). */
    private boolean bothMembersHavePartitions() throws Exception {
        try (Admin admin = admin()) {
            var members = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members();
            return members.size() == 2 && members.stream().allMatch(member -> !member.assignment().topicPartitions().isEmpty());
        }
    }

    private void startFeed() throws Exception {
        camel = feed(handoff, received);
        camel.start();
    }

    private DefaultCamelContext feed(FeedHandoff from, List<KafkaRecordBatches.Record> into) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent(AnalyticsFeedComponent.SCHEME,
                new AnalyticsFeedComponent(kafka.bootstrapServers(), KafkaClientProperties.PLAINTEXT, from));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(AnalyticsFeedComponent.SCHEME + ":" + TOPIC + "?groupId=" + GROUP).routeId("feed")
                        .process(exchange -> into.addAll(KafkaRecordBatches.records(exchange)));
            }
        });
        return context;
    }

    /**
     * Records "n" for n in [from, to), keyed by n % 7 (so each key's records share a partition), in
     * steps of 100 acknowledged ones as a plant's changes come, not all at once; handed over where asked.
     */
    private void publish(int from, int to, LongPredicate handedOver) throws Exception {
        for (int step = from; step < to; step += 100) {
            publishNow(step, Math.min(step + 100, to), handedOver);
            Thread.sleep(5);
        }
    }

    private void publishNow(int from, int to, LongPredicate handedOver) throws Exception {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int n = from; n < to; n++) {
            byte[] value = Integer.toString(n).getBytes(StandardCharsets.UTF_8);
            boolean hand = handedOver.test(n);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + n % 7, value), (metadata, failure) -> {
                if (failure == null && hand) {
                    handoff.published(metadata.topic(), metadata.partition(), metadata.offset(), metadata.timestamp(), value);
                }
            }));
        }
        for (var future : sent) {
            future.get();
        }
    }

    private void awaitReceived(int count) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(received).hasSizeGreaterThanOrEqualTo(count));
        assertThat(received).hasSize(count);
    }

    private List<Integer> numbers() {
        synchronized (received) {
            return received.stream().map(record -> Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8))).toList();
        }
    }

    /** Within a key (one partition) the numbers arrive rising, as they were published. */
    private void inOrderPerKey() {
        Map<Integer, Integer> last = new HashMap<>();
        for (int n : numbers()) {
            Integer before = last.put(n % 7, n);
            assertThat(before == null || before < n).as("key %d: %d after %d", n % 7, n, before).isTrue();
        }
    }

    private Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry
                    : admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet()) {
                out.put(entry.getKey(), entry.getValue().offset());
            }
            return out;
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                latest.put(new TopicPartition(TOPIC, partition), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry
                    : admin.listOffsets(latest).all().get().entrySet()) {
                out.put(entry.getKey(), entry.getValue().offset());
            }
            return out;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
