package io.millwright.subscriptions;

import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Kafka subscriptions ({@code {"type": "kafka"}}): each has its own topic
 * {@code millwright.subscriptions.<name>} (created with the configured partitions, a retention time
 * and a size bound per partition: Kafka's own bound on a subscriber's backlog, the oldest events
 * deleted first), fed by a {@link KafkaForwarder} in the consumer group
 * {@code millwright.subscription.<name>}. The group starts at the end of the canonical topics when
 * the subscription is created, so the subscriber gets every event from then on, and no older one.
 */
class KafkaSubscriptionTopics implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 15;

    private final String bootstrapServers;
    /** How the hub logs in to the cluster ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}); empty = PLAINTEXT. */
    private final Map<String, Object> login;
    private final int partitions;
    private final short replicationFactor;
    private final Duration retention;
    private final long retentionBytesPerPartition;
    private final SubscriptionMeters meters;
    private final Map<String, KafkaForwarder> running = new ConcurrentHashMap<>();
    private final Map<String, KafkaForwarder.Figures> figures = new ConcurrentHashMap<>();

    KafkaSubscriptionTopics(String bootstrapServers, int partitions, short replicationFactor, Duration retention,
            long retentionBytes, MeterRegistry meters) {
        this(bootstrapServers, Map.of(), partitions, replicationFactor, retention, retentionBytes, meters);
    }

    /**
     * @param login the hub's Kafka client login (the same {@code millwright.kafka.client.*} settings its
     *     event producer uses); the admin, the forwarders' consumers and producers all log in with it
     */
    KafkaSubscriptionTopics(String bootstrapServers, Map<String, Object> login, int partitions, short replicationFactor,
            Duration retention, long retentionBytes, MeterRegistry meters) {
        this.bootstrapServers = bootstrapServers;
        this.login = Map.copyOf(login);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.retention = retention;
        this.retentionBytesPerPartition = Math.max(1, retentionBytes / partitions);
        this.meters = new SubscriptionMeters(meters);
    }

    static String topic(String subscription) {
        return SubscriptionQueues.PREFIX + subscription;
    }

    static String groupId(String subscription) {
        return "millwright.subscription." + subscription;
    }

    static List<String> sourceTopics(Set<EventType> types) {
        return types.stream().map(EventType::destination).sorted().toList();
    }

    /**
     * Creates the subscription's topic when missing and, for a new subscription, starts its group
     * at the current end of the source topics.
     */
    void create(String name, Set<EventType> types) throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic(name))) {
                NewTopic topic = new NewTopic(topic(name), partitions, replicationFactor).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()),
                        TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(retentionBytesPerPartition)));
                admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            startAtEnd(admin, name, types);
        }
    }

    /** After a change of types: the group starts new source topics at their end and keeps its place in the others. */
    void changeTypes(String name, Set<EventType> types) throws Exception {
        try (Admin admin = admin()) {
            startAtEnd(admin, name, types);
        }
    }

    private void startAtEnd(Admin admin, String name, Set<EventType> types) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId(name))
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> missing = partitionsOf(admin, sourceTopics(types)).stream()
                .filter(tp -> committed.get(tp) == null)
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        if (missing.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> start = new LinkedHashMap<>();
        admin.listOffsets(missing).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((tp, info) -> start.put(tp, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(groupId(name), start).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts (or restarts after a change) the subscription's forwarder. */
    synchronized void start(String name, Set<EventType> types, AssetFilter assets, FieldFilter fields) {
        stop(name);
        KafkaForwarder forwarder = new KafkaForwarder(name, sourceTopics(types), assets, fields, bootstrapServers, login,
                figures.computeIfAbsent(name, this::newFigures));
        running.put(name, forwarder);
        forwarder.start();
    }

    synchronized void stop(String name) {
        KafkaForwarder forwarder = running.remove(name);
        if (forwarder != null) {
            forwarder.stop();
        }
    }

    /** Stops the forwarder, deletes the topic with its backlog and the consumer group, forgets the figures. */
    synchronized void remove(String name) throws Exception {
        stop(name);
        figures.remove(name);
        meters.remove(name);
        try (Admin admin = admin()) {
            ignoreMissing(() -> admin.deleteTopics(List.of(topic(name))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            ignoreMissing(() -> admin.deleteConsumerGroups(List.of(groupId(name))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /**
     * The subscription's figures: {@code delivered} (events in its topic since it was created: the
     * sum of the end offsets), {@code pending} (canonical events its group has not read yet),
     * {@code paused}, and the forwarder's own figures.
     */
    Map<String, Object> stats(String name, Set<EventType> types) throws Exception {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("topic", topic(name));
        try (Admin admin = admin()) {
            stats.put("delivered", sum(endOffsets(admin, partitionsOf(admin, List.of(topic(name))))));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId(name))
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long pending = 0;
            for (var end : endOffsets(admin, partitionsOf(admin, sourceTopics(types))).entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                pending += Math.max(0, end.getValue().offset() - (at == null ? end.getValue().offset() : at.offset()));
            }
            stats.put("pending", pending);
        }
        stats.put("paused", !running.containsKey(name));
        KafkaForwarder.Figures f = figures.get(name);
        if (f != null) {
            stats.putAll(f.asMap());
        }
        return stats;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> endOffsets(Admin admin, Collection<TopicPartition> partitions)
            throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static long sum(Map<TopicPartition, ListOffsetsResultInfo> offsets) {
        return offsets.values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
    }

    private static List<TopicPartition> partitionsOf(Admin admin, List<String> topics) throws Exception {
        List<TopicPartition> result = new ArrayList<>();
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Kafka has no topic among " + topics
                        + "; the hub creates the event topics at start (millwright.mes.create-destinations)", e.getCause());
            }
            throw e;
        }
        descriptions.values().forEach(d -> d.partitions().forEach(p -> result.add(new TopicPartition(d.name(), p.partition()))));
        return result;
    }

    private interface AdminCall {
        void run() throws Exception;
    }

    private static void ignoreMissing(AdminCall call) throws Exception {
        try {
            call.run();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException) && !(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
    }

    private Admin admin() {
        Map<String, Object> config = new java.util.HashMap<>(login);
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        return Admin.create(config);
    }

    private KafkaForwarder.Figures newFigures(String name) {
        KafkaForwarder.Figures f = new KafkaForwarder.Figures();
        meters.register(name, new SubscriptionMeters.Figures(f.forwarded, "Events forwarded to the subscription's Kafka topic",
                f.failures, "Kafka forwarding failures (each retry counts)", f.lagMillis, null));
        return f;
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }
}
