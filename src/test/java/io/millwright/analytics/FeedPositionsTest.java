package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.ops.KafkaRecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Where the analytics feed takes each record from, without a broker: every record of an assigned
 * partition once and in order, from the publisher's hand-off when it holds the record at the
 * partition's position, from Kafka otherwise.
 */
class FeedPositionsTest {

    static final TopicPartition P0 = new TopicPartition("millwright.events.signal", 0);
    static final TopicPartition P1 = new TopicPartition("millwright.events.signal", 1);
    static final long IDLE = 1_000_000_000L;

    final FeedPositions positions = new FeedPositions(100, IDLE);
    final List<KafkaRecordBatches.Record> out = new ArrayList<>();
    /** The time the next handed records come at. */
    long now;

    @Test
    void afterAnAssignmentReadsKafka_thenTheHandoffOnceItHoldsThePosition() {
        positions.assigned(P0, 0, 0);
        assertThat(positions.anyFromKafka()).isTrue();

        positions.fetched(P0, kafka(P0, 0, 1), out, 1);
        hand(P0, 2, 3, 4);
        positions.settle(2);
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(P0, false, 2));
        positions.takeHanded(out, 100, 2);

        assertThat(texts()).containsExactly("0", "1", "2", "3", "4");
        assertThat(positions.positions()).containsEntry(P0, 5L);
        assertThat(positions.takenFromKafka()).isEqualTo(2);
        assertThat(positions.takenFromHandoff()).isEqualTo(3);
        assertThat(positions.anyFromKafka()).isFalse();
    }

    @Test
    void aGapInTheHandoffIsReadFromKafka_andWhatKafkaBroughtIsNotTakenAgain() {
        onHandoff(P0, 0);
        hand(P0, 1, 3, 4); // 2 was not queued (the hand-off was full)
        positions.takeHanded(out, 100, 1);
        assertThat(texts()).containsExactly("0", "1");
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(P0, true, 2));

        positions.fetched(P0, kafka(P0, 2, 3, 4, 5), out, 2); // Kafka brings 3 and 4 too, and 5 not handed yet
        hand(P0, 5, 6);
        positions.settle(3);
        positions.takeHanded(out, 100, 3);

        assertThat(texts()).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(P0, false, 6));
        assertThat(positions.letGo()).as("3, 4 and 5 handed but read from Kafka").isEqualTo(3);
    }

    @Test
    void whenKafkaWinsTheRaceTheHandoffBringsTheNext_theRecordsItBringsLateAreLetGo() {
        positions.assigned(P0, 0, 0);
        positions.fetched(P0, kafka(P0, 0, 1, 2), out, 1); // the fetch brought 0..2 before the publisher's callbacks
        assertThat(positions.switches()).as("nothing handed yet: Kafka still").isEmpty();

        now = 2;
        hand(P0, 0); // the callback for 0 comes: the hand-off is bringing this partition, and is level with Kafka
        positions.settle(3);
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(P0, false, 3));

        hand(P0, 1, 2, 3, 4);
        positions.takeHanded(out, 100, 4);
        assertThat(texts()).containsExactly("0", "1", "2", "3", "4");
        assertThat(positions.letGo()).as("0, 1 and 2 came from Kafka").isEqualTo(3);
        assertThat(positions.switches()).isEmpty();
    }

    @Test
    void aPartitionTheHandoffDoesNotBringStaysOnKafka_andOneWithAGapToo() {
        positions.assigned(P0, 0, 0);
        positions.assigned(P1, 0, 0);
        hand(P0, 0);
        positions.fetched(P0, kafka(P0, 0, 1), out, IDLE); // the last handed record is a second old
        positions.fetched(P1, kafka(P1, 0), out, 1);
        hand(P1, 2); // 1 was not queued
        positions.settle(IDLE);

        assertThat(positions.switches()).isEmpty();
        assertThat(positions.anyFromKafka()).isTrue();
    }

    @Test
    void recordsOfAPartitionNotAssignedHereAreLetGo_andARevokedPartitionsHeldRecordsToo() {
        onHandoff(P0, 0);
        hand(P1, 0, 1);
        positions.fetched(P0, kafka(P0, 0), out, 1); // a fetch still buffered after the pause: not taken twice
        hand(P0, 1);
        positions.revoked(P0);
        positions.takeHanded(out, 100, 2);

        assertThat(out).isEmpty();
        assertThat(positions.letGo()).as("P1's two, P0's two held").isEqualTo(4);
        assertThat(positions.positions()).isEmpty();
    }

    @Test
    void aPartitionThatBringsNothingThroughTheHandoffIsReadFromKafka() {
        onHandoff(P0, 7);
        positions.takeHanded(out, 100, IDLE / 2);
        positions.takeHanded(out, 100, IDLE);
        assertThat(positions.switches()).isEmpty();

        positions.takeHanded(out, 100, IDLE / 2 + IDLE + 1);
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(P0, true, 8));
        positions.fetched(P0, kafka(P0, 8), out, 2 * IDLE);
        assertThat(texts()).containsExactly("7", "8");
    }

    @Test
    void takesNoMoreThanThePollHolds_andTheRestNextTime() {
        onHandoff(P0, 0);
        hand(P0, LongStream.range(1, 10).toArray());
        positions.takeHanded(out, 4, 1);
        assertThat(out).hasSize(4);
        out.clear();
        positions.takeHanded(out, 100, 2);
        assertThat(texts()).containsExactly("4", "5", "6", "7", "8", "9");
        assertThat(positions.switches()).isEmpty();
    }

    @Test
    void holdsAtMostTheBoundPerPartition_theRestIsReadFromKafka() {
        FeedPositions small = new FeedPositions(2, IDLE);
        small.assigned(P0, 0, 0);
        for (long offset = 0; offset < 5; offset++) {
            small.handed(new FeedHandoff.Handed(P0.topic(), 0, offset, 0, bytes(offset)), 0);
        }
        assertThat(small.letGo()).isEqualTo(3);
    }

    /** Assigns the partition and puts it on the hand-off, as once it holds the record at the position; that record is held. */
    private void onHandoff(TopicPartition partition, long position) {
        positions.assigned(partition, position, 0);
        hand(partition, position);
        positions.settle(now);
        assertThat(positions.switches()).containsExactly(new FeedPositions.Switch(partition, false, position));
    }

    private void hand(TopicPartition partition, long... offsets) {
        for (long offset : offsets) {
            positions.handed(new FeedHandoff.Handed(partition.topic(), partition.partition(), offset, 0, bytes(offset)), now);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> kafka(TopicPartition partition, long... offsets) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long offset : offsets) {
            records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, bytes(offset)));
        }
        return records;
    }

    private static byte[] bytes(long offset) {
        return Long.toString(offset).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> texts() {
        return out.stream().map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
    }
}
