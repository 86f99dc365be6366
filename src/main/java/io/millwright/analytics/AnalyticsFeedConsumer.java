package io.millwright.analytics;

import io.millwright.ops.KafkaRecordBatches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics feed's consumer: one thread, one {@link KafkaConsumer} in the feed's consumer group,
 * one exchange per poll whose body is the poll's records ({@link KafkaRecordBatches.Record}s, in
 * order per partition). Each record comes from the publisher's hand-off when it holds the record at
 * the partition's position, else from Kafka ({@link FeedPositions}). Offsets are committed after each
 * poll's exchange, whatever the side routes made of it (they park what they cannot take), and on
 * stop and before a rebalance takes partitions away: the feed reads every record at least once, as
 * it did with camel-kafka's auto commit.
 */
final class AnalyticsFeedConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsFeedConsumer.class);
    /** Records per exchange at most: enough to spread Camel's per-exchange work thin at 50,000 signals/s. */
    private static final int MAX_RECORDS = 2000;
    /** A poll is handed on once this old even when not full. */
    private static final long LINGER_MILLIS = 100;
    /** Longest single wait for the hand-off or Kafka, so a stop or a rebalance is seen soon. */
    private static final long WAIT_STEP_MILLIS = 50;
    /** How often the group is polled (rebalances, commit callbacks) while every partition is read from the hand-off. */
    private static final long GROUP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A partition that brings nothing through the hand-off for this long is read from Kafka (another producer may write to it). */
    private static final long IDLE_BEFORE_KAFKA_MILLIS = 1000;
    /** Handed records held per partition while it is read from Kafka: 2 s at 10,000 records/s. */
    private static final int MOST_HELD_PER_PARTITION = 20_000;
    /** Wait after the consumer failed (the cluster refused the login, say) before it is created again. */
    private static final long RETRY_MILLIS = 5000;
    /** How long a stop waits for the last poll's exchange and commit: within camel.main.shutdown-timeout (10 s). */
    private static final long STOP_WAIT_MILLIS = 8000;

    private final AnalyticsFeedEndpoint endpoint;
    private final FeedHandoff handoff;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    private ExecutorService executor;
    /** When the consumer was last polled (the consumer thread's alone). */
    private long lastPollNanos;

    AnalyticsFeedConsumer(AnalyticsFeedEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.handoff = endpoint.getComponent().handoff();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        handoff.open(endpoint.topics());
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "AnalyticsFeed");
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        KafkaConsumer<byte[], byte[]> current = kafka;
        if (current != null) {
            current.wakeup();
        }
        if (executor != null) {
            executor.shutdown();
            if (!executor.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("Analytics feed: the consumer thread did not stop within {} ms", STOP_WAIT_MILLIS);
                executor.shutdownNow();
            }
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        handoff.close();
        super.doStop();
    }

    private void run() {
        while (running) {
            try {
                consume();
            } catch (WakeupException e) {
                return; // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Analytics feed: the Kafka consumer failed, again in {} s reason={}", RETRY_MILLIS / 1000, e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Map<String, Object> config() {
        AnalyticsFeedComponent component = endpoint.getComponent();
        Map<String, Object> config = new HashMap<>(component.client().asClientConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, component.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, endpoint.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "millwright-analytics-feed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_RECORDS);
        return config;
    }

    /** One consumer's life: subscribe, then a poll's exchange at a time until the route stops. */
    private void consume() {
        FeedPositions positions = new FeedPositions(MOST_HELD_PER_PARTITION, TimeUnit.MILLISECONDS.toNanos(IDLE_BEFORE_KAFKA_MILLIS));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            kafka = consumer;
            if (!running) {
                return;
            }
            consumer.subscribe(endpoint.topics(), new Rebalance(consumer, positions));
            long handed = 0;
            long fetched = 0;
            try {
                while (running) {
                    List<KafkaRecordBatches.Record> records = collect(consumer, positions);
                    handoff.counted(positions.takenFromHandoff() - handed, positions.takenFromKafka() - fetched);
                    handed = positions.takenFromHandoff();
                    fetched = positions.takenFromKafka();
                    if (!records.isEmpty()) {
                        deliver(records);
                        commit(consumer, positions.positions(), false);
                    }
                }
            } finally {
                kafka = null;
                commit(consumer, positions.positions(), true);
                log.info("Analytics feed consumer closed: {} records taken from the hub's hand-off, {} from Kafka, {} handed records "
                        + "let go (read from Kafka instead or not this hub's), {} not queued (hand-off full); partitions to Kafka and back: {}",
                        positions.takenFromHandoff(), positions.takenFromKafka(), positions.letGo(), handoff.notQueued(),
                        positions.switchCounts());
            }
        }
    }

    /** The records of one exchange: up to {@link #MAX_RECORDS}, or what came within {@link #LINGER_MILLIS}. */
    private List<KafkaRecordBatches.Record> collect(KafkaConsumer<byte[], byte[]> consumer, FeedPositions positions) {
        List<KafkaRecordBatches.Record> batch = new ArrayList<>(MAX_RECORDS);
        List<FeedHandoff.Handed> drained = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (running && batch.size() < MAX_RECORDS) {
            drained.clear();
            handoff.drainTo(drained);
            long now = System.nanoTime();
            for (FeedHandoff.Handed record : drained) {
                positions.handed(record, now);
            }
            int before = batch.size();
            positions.takeHanded(batch, MAX_RECORDS, now);
            positions.settle(now);
            apply(consumer, positions);
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - now);
            if (batch.size() >= MAX_RECORDS || remaining <= 0) {
                break;
            }
            boolean tookSome = batch.size() > before;
            if (positions.anyFromKafka() || positions.noneAssigned()) {
                // no partition yet (joining the group, a rebalance): the poll's wait lets the join go on
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(tookSome ? 0 : Math.min(remaining, WAIT_STEP_MILLIS)));
                lastPollNanos = System.nanoTime();
                fetched(records, positions, batch, lastPollNanos);
                apply(consumer, positions);
            } else {
                if (now - lastPollNanos > GROUP_POLL_NANOS) {
                    // every partition paused: this poll fetches nothing, but runs rebalances and commit callbacks
                    fetched(consumer.poll(Duration.ZERO), positions, batch, now);
                    lastPollNanos = now;
                    apply(consumer, positions);
                }
                if (!tookSome) {
                    try {
                        FeedHandoff.Handed next = handoff.poll(Math.min(remaining, WAIT_STEP_MILLIS));
                        if (next != null) {
                            positions.handed(next, System.nanoTime());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
            }
        }
        return batch;
    }

    private static void fetched(ConsumerRecords<byte[], byte[]> records, FeedPositions positions,
            List<KafkaRecordBatches.Record> batch, long now) {
        for (TopicPartition partition : records.partitions()) {
            positions.fetched(partition, records.records(partition), batch, now);
        }
    }

    /** Pauses the partitions now read from the hand-off; seeks and resumes those now read from Kafka. */
    private static void apply(KafkaConsumer<byte[], byte[]> consumer, FeedPositions positions) {
        for (FeedPositions.Switch change : positions.switches()) {
            if (log.isDebugEnabled()) {
                log.debug("Analytics feed: partition {} now read from {} at offset {}", change.partition(),
                        change.toKafka() ? "Kafka" : "the hand-off", change.position());
            }
            if (change.toKafka()) {
                consumer.seek(change.partition(), change.position());
                consumer.resume(List.of(change.partition()));
            } else {
                consumer.pause(List.of(change.partition()));
            }
        }
    }

    /** Hands one poll's records to the route; its error handling has the last word on a failure. */
    private void deliver(List<KafkaRecordBatches.Record> records) {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(records);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Analytics feed: a poll was not taken", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    private static void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> positions, boolean sync) {
        if (positions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        positions.forEach((partition, position) -> offsets.put(partition, new OffsetAndMetadata(position)));
        try {
            if (sync) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(5));
                } catch (WakeupException stopping) {
                    consumer.commitSync(offsets, Duration.ofSeconds(5)); // the stop's wake-up came after the last poll
                }
            } else {
                consumer.commitAsync(offsets, (committed, failure) -> {
                    if (failure != null) {
                        log.debug("Analytics feed: offsets not committed (again after the next poll) reason={}", failure.getMessage());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Analytics feed: offsets not committed reason={}", e.getMessage());
        }
    }

    /** Keeps the positions in step with the group's assignment; commits what was taken before partitions go. */
    private static final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final FeedPositions positions;

        Rebalance(KafkaConsumer<byte[], byte[]> consumer, FeedPositions positions) {
            this.consumer = consumer;
            this.positions = positions;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> taken = new LinkedHashMap<>(positions.positions());
            taken.keySet().retainAll(partitions);
            commit(consumer, taken, true);
            partitions.forEach(positions::revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(positions::revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.resume(partitions); // read from Kafka at first, from the committed offset
            long now = System.nanoTime();
            for (TopicPartition partition : partitions) {
                positions.assigned(partition, consumer.position(partition), now);
            }
        }
    }
}
