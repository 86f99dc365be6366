package io.millwright.analytics;

import io.millwright.ops.KafkaRecordBatches;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the analytics feed stands in each partition assigned to it, and where it reads the next
 * record from: the publisher's hand-off ({@link FeedHandoff}) when it holds the record at the
 * partition's position, else Kafka (docs/adr/0005-analytics-feed-in-process.md). Kafka's consumer
 * group stays the truth: the assignment, and the committed offsets the positions start from.
 *
 * <p>Per partition:
 * <ul>
 *   <li>read from the hand-off while its next record is at the position: no fetch, no parse of a
 *       fetch response, no copy;
 *   <li>read from Kafka, from the position, when the hand-off's next record is further on (a record
 *       it did not queue, another producer's record, the first records after an assignment) or when
 *       it has brought nothing for {@code idleBeforeKafkaNanos}; back to the hand-off as soon as that is
 *       level with Kafka ({@link #settle});
 *   <li>a handed record behind the position (already read from Kafka) or of a partition not
 *       assigned here (another hub of the group reads it from Kafka) is let go.
 * </ul>
 * So every record of an assigned partition is taken once and in order, whichever way it came.
 * Not thread-safe: the feed's consumer thread alone uses it.
 */
final class FeedPositions {

    /** A partition that starts or stops being read from Kafka, and from which offset. */
    record Switch(TopicPartition partition, boolean toKafka, long position) {}

    private static final class Partition {
        long position;
        boolean fromKafka = true;
        long lastTakenNanos;
        /** When the hand-off last brought a record of the partition (taken, held or let go); none yet: never. */
        long lastHandedNanos;
        boolean handedAny;
        final ArrayDeque<FeedHandoff.Handed> handed = new ArrayDeque<>();

        Partition(long position, long now) {
            this.position = position;
            this.lastTakenNanos = now;
        }
    }

    private final Map<TopicPartition, Partition> partitions = new LinkedHashMap<>();
    /** The same partitions by topic and partition number: a handed record finds its own without a new key object. */
    private final Map<String, Partition[]> byTopic = new HashMap<>();
    private final List<Switch> switches = new ArrayList<>();
    private final int mostHeldPerPartition;
    private final long idleBeforeKafkaNanos;
    private long takenFromHandoff;
    private long takenFromKafka;
    private long letGo;
    private long gapSwitches;
    private long idleSwitches;
    private long levelSwitches;

    /**
     * @param mostHeldPerPartition handed records held per partition at most (the rest are read from Kafka)
     * @param idleBeforeKafkaNanos a partition read from the hand-off that brings nothing for this long is
     *     read from Kafka (another producer may write to it)
     */
    FeedPositions(int mostHeldPerPartition, long idleBeforeKafkaNanos) {
        this.mostHeldPerPartition = mostHeldPerPartition;
        this.idleBeforeKafkaNanos = idleBeforeKafkaNanos;
    }

    /** A partition assigned to the feed, read from {@code position} (its committed offset): from Kafka at first. */
    void assigned(TopicPartition partition, long position, long now) {
        Partition assigned = new Partition(position, now);
        partitions.put(partition, assigned);
        Partition[] numbered = byTopic.get(partition.topic());
        if (numbered == null || numbered.length <= partition.partition()) {
            numbered = numbered == null ? new Partition[partition.partition() + 1] : Arrays.copyOf(numbered, partition.partition() + 1);
            byTopic.put(partition.topic(), numbered);
        }
        numbered[partition.partition()] = assigned;
    }

    /** A partition no longer assigned: its handed records are let go. */
    void revoked(TopicPartition partition) {
        Partition gone = partitions.remove(partition);
        if (gone != null) {
            letGo += gone.handed.size();
            byTopic.get(partition.topic())[partition.partition()] = null;
        }
        switches.removeIf(change -> change.partition().equals(partition));
    }

    /** A record from the hand-off: held for its partition, or let go when it is not needed. */
    void handed(FeedHandoff.Handed record, long now) {
        Partition[] numbered = byTopic.get(record.topic());
        Partition partition = numbered != null && record.partition() < numbered.length ? numbered[record.partition()] : null;
        if (partition != null) {
            partition.lastHandedNanos = now;
            partition.handedAny = true;
        }
        if (partition == null || record.offset() < partition.position || partition.handed.size() >= mostHeldPerPartition) {
            letGo++;
            return;
        }
        partition.handed.addLast(record);
    }

    /**
     * Takes, for each partition read from the hand-off, its held records from the position on, in
     * order, into {@code out} (at most up to {@code max} records there); a partition whose next held
     * record is further on, or that brought nothing for a while, is read from Kafka from now on.
     */
    void takeHanded(List<KafkaRecordBatches.Record> out, int max, long now) {
        for (Map.Entry<TopicPartition, Partition> entry : partitions.entrySet()) {
            Partition partition = entry.getValue();
            if (partition.fromKafka) {
                continue;
            }
            FeedHandoff.Handed next = dropBehind(partition);
            while (out.size() < max && next != null && next.offset() == partition.position) {
                partition.handed.removeFirst();
                out.add(new KafkaRecordBatches.Record(next.value(), next.timestamp()));
                partition.position++;
                partition.lastTakenNanos = now;
                takenFromHandoff++;
                next = partition.handed.peekFirst();
            }
            boolean gap = next != null && next.offset() > partition.position;
            boolean idle = next == null && now - partition.lastTakenNanos > idleBeforeKafkaNanos;
            if (gap || idle) {
                if (gap) {
                    gapSwitches++;
                } else {
                    idleSwitches++;
                }
                partition.fromKafka = true;
                switches.add(new Switch(entry.getKey(), true, partition.position));
            }
        }
    }

    /**
     * Records fetched from Kafka for a partition: those from its position on go into {@code out}
     * (the rest were taken already, or the partition is read from the hand-off again); then the
     * partition goes back to the hand-off when that is level with Kafka ({@link #settle}).
     */
    void fetched(TopicPartition topicPartition, List<ConsumerRecord<byte[], byte[]>> records, List<KafkaRecordBatches.Record> out,
            long now) {
        Partition partition = partitions.get(topicPartition);
        if (partition == null || !partition.fromKafka) {
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.offset() >= partition.position) {
                // a record without a value (a tombstone) is not an event: the side routes say so and park it
                out.add(new KafkaRecordBatches.Record(record.value() == null ? new byte[0] : record.value(), record.timestamp()));
                partition.position = record.offset() + 1;
                partition.lastTakenNanos = now;
                takenFromKafka++;
            }
        }
        backToHandoffIfLevel(topicPartition, partition, now);
    }

    /**
     * Each partition read from Kafka goes back to the hand-off when that is level with Kafka: it holds
     * the record at the position, or it is bringing the partition's records (one came within
     * {@code idleBeforeKafkaNanos / 10}) and every one it brought was read from Kafka already. The
     * publisher's callback and the feed's fetch race for each new record; without the second case a
     * partition whose fetches keep winning would stay on Kafka, its handed records let go.
     */
    void settle(long now) {
        for (Map.Entry<TopicPartition, Partition> entry : partitions.entrySet()) {
            if (entry.getValue().fromKafka) {
                backToHandoffIfLevel(entry.getKey(), entry.getValue(), now);
            }
        }
    }

    private void backToHandoffIfLevel(TopicPartition topicPartition, Partition partition, long now) {
        FeedHandoff.Handed next = dropBehind(partition);
        boolean atPosition = next != null && next.offset() == partition.position;
        boolean handing = next == null && partition.handedAny && now - partition.lastHandedNanos <= idleBeforeKafkaNanos / 10;
        if (atPosition || handing) {
            levelSwitches++;
            partition.fromKafka = false;
            partition.lastTakenNanos = now; // the idle bound counts from here
            switches.add(new Switch(topicPartition, false, partition.position));
        }
    }

    /**
     * Lets go the held records behind the partition's position (read from Kafka already); returns the
     * next held one, or null. Held records rise in offset (the publisher's callbacks come in order per partition).
     */
    private FeedHandoff.Handed dropBehind(Partition partition) {
        FeedHandoff.Handed next;
        while ((next = partition.handed.peekFirst()) != null && next.offset() < partition.position) {
            partition.handed.removeFirst();
            letGo++;
        }
        return next;
    }

    /** The partitions that changed their source since the last call, in order: to pause, or to seek and resume. */
    List<Switch> switches() {
        List<Switch> out = List.copyOf(switches);
        switches.clear();
        return out;
    }

    /** Whether any partition is read from Kafka now. */
    boolean anyFromKafka() {
        for (Partition partition : partitions.values()) {
            if (partition.fromKafka) {
                return true;
            }
        }
        return false;
    }

    /** Whether no partition is assigned to the feed (before it joined its group, during a rebalance). */
    boolean noneAssigned() {
        return partitions.isEmpty();
    }

    /** Each assigned partition's position: the offset of the next record the feed takes (what it commits). */
    Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        partitions.forEach((partition, state) -> out.put(partition, state.position));
        return out;
    }

    long takenFromHandoff() {
        return takenFromHandoff;
    }

    long takenFromKafka() {
        return takenFromKafka;
    }

    /** Why partitions went to Kafka and back, for the consumer's closing line: "gaps 3, idle 1, back to the hand-off 4". */
    String switchCounts() {
        return "gaps " + gapSwitches + ", idle " + idleSwitches + ", back to the hand-off " + levelSwitches;
    }

    /** Handed records not taken: behind the position, of a partition not assigned here, or over the per-partition bound. */
    long letGo() {
        return letGo;
    }
}
