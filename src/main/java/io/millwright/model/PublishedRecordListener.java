package io.millwright.model;

/**
 * Told of each event record the hub's Kafka publisher has had acknowledged by the broker, with the
 * partition and offset Kafka gave it: so a reader in the same process (the analytics feed) can take
 * the record from memory instead of fetching back from Kafka what the hub has just written
 * (docs/adr/0005-analytics-feed-in-process.md). Kafka stays the record of truth: a listener may
 * drop what it cannot take at once and read it from Kafka later.
 *
 * <p>Called on the Kafka producer's I/O thread: an implementation returns at once, never blocks
 * and never throws.
 */
public interface PublishedRecordListener {

    /**
     * @param topic the record's topic
     * @param partition its partition
     * @param offset its offset in that partition
     * @param timestamp the time Kafka gives the record (ms since the epoch)
     * @param value the record's value as written (not to be changed)
     */
    void published(String topic, int partition, long offset, long timestamp, byte[] value);
}
