package io.millwright.analytics;

import io.millwright.model.PublishedRecordListener;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The analytics feed's in-process hand-off (docs/adr/0005-analytics-feed-in-process.md): each
 * record of the feed's topics that the hub's publisher has had acknowledged, with its partition and
 * offset, so the feed takes it from memory instead of fetching it back from Kafka. Bounded: when
 * the feed is behind and the queue is full, the record is not queued (counted in
 * {@link #notQueued()}) and the feed reads it from Kafka, where it is; nothing is lost. Open only
 * while the feed's consumer runs.
 */
final class FeedHandoff implements PublishedRecordListener {

    /** A record as the publisher handed it over. */
    record Handed(String topic, int partition, long offset, long timestamp, byte[] value) {}

    private final ArrayBlockingQueue<Handed> queue;
    private final AtomicLong notQueued = new AtomicLong();
    private final AtomicLong takenFromHandoff = new AtomicLong();
    private final AtomicLong takenFromKafka = new AtomicLong();
    private volatile Set<String> topics = Set.of();

    /** @param capacity records held at most (about 0.4 KB each for a signal) */
    FeedHandoff(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Takes the given topics' records from now on (the feed's consumer starts). */
    void open(Set<String> topics) {
        queue.clear();
        this.topics = Set.copyOf(topics);
    }

    /** Takes none any more and lets go of those held (the feed's consumer stopped). */
    void close() {
        topics = Set.of();
        queue.clear();
    }

    @Override
    public void published(String topic, int partition, long offset, long timestamp, byte[] value) {
        if (!topics.contains(topic)) {
            return;
        }
        if (!queue.offer(new Handed(topic, partition, offset, timestamp, value))) {
            notQueued.incrementAndGet();
        }
    }

    /** Moves every queued record into {@code into}; returns how many. */
    int drainTo(Collection<Handed> into) {
        return queue.drainTo(into);
    }

    /** The next record, waiting at most {@code timeoutMillis}; null when none came. */
    Handed poll(long timeoutMillis) throws InterruptedException {
        return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Counts the records the feed took from the hand-off and from Kafka since the last call. */
    void counted(long fromHandoff, long fromKafka) {
        takenFromHandoff.addAndGet(fromHandoff);
        takenFromKafka.addAndGet(fromKafka);
    }

    /** Records the feed took from the hand-off (not fetched from Kafka), since the hub started. */
    long takenFromHandoff() {
        return takenFromHandoff.get();
    }

    /** Records the feed read from Kafka, since the hub started. */
    long takenFromKafka() {
        return takenFromKafka.get();
    }

    /** Records not queued because the queue was full (the feed read them from Kafka). */
    long notQueued() {
        return notQueued.get();
    }
}
