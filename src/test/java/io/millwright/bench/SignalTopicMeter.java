package io.millwright.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic the bare client or the hub writes, from its first record, and measures what
 * arrived from the {@link BenchOpcUaServer}: which nodes delivered a first value and when, and in
 * a window of ticks, the changes received, lost and duplicated and their latency.
 *
 * <p>The window is a range of tick numbers {@code [fromTick, toTick)}, not of wall time: the
 * server gives every variable the values 1, 2, 3 ..., so {@code items * (toTick - fromTick)}
 * changes were offered in it, and each (node, tick) is expected exactly once. Received counts
 * distinct (node, tick) pairs, duplicates the repeats, lost = expected - received once the window
 * has been awaited (a change still on its way then counts as lost).
 *
 * <p>Latency = the record's timestamp - the value's source timestamp. The topic must use
 * {@code message.timestamp.type=LogAppendTime}, so the record timestamp is when the broker
 * appended it (milliseconds); records of the window with a CreateTime timestamp are counted and
 * reported, not hidden. Server, clients and broker share one clock (one machine).
 *
 * <p>Formats: {@link Format#BARE} {@code {"node":..,"value":..,"sourceTime":..}};
 * {@link Format#CLOUDEVENTS} the hub's {@code io.millwright.signal.v1} events ({@code time} = the
 * source timestamp, {@code data.tag} = the node id, {@code data.value} = the value). Fields are
 * picked out of the bytes without building a JSON tree, to keep this process's CPU small beside
 * the processes measured; the first records are also parsed with Jackson and must agree.
 */
final class SignalTopicMeter implements AutoCloseable {

    enum Format {
        BARE("\"node\":\"", "\"value\":", "\"sourceTime\":\"", null),
        CLOUDEVENTS("\"tag\":\"", "\"value\":", "\"time\":\"", "\"data\":");

        private final byte[] node;
        private final byte[] value;
        private final byte[] time;
        private final byte[] valueScope;

        Format(String node, String value, String time, String valueScope) {
            this.node = node.getBytes(StandardCharsets.UTF_8);
            this.value = value.getBytes(StandardCharsets.UTF_8);
            this.time = time.getBytes(StandardCharsets.UTF_8);
            this.valueScope = valueScope == null ? null : valueScope.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What the window held once awaited. Latencies in microseconds. */
    record WindowResult(
            long fromTick,
            long toTick,
            long expected,
            long received,
            long duplicates,
            long createTimeRecords,
            long negativeLatencies,
            Histogram latencyMicros) {

        long lost() {
            return expected - received;
        }
    }

    private static final int VERIFIED_RECORDS = 200;
    private static final byte[] BENCH_IDENTIFIER = "Bench.V".getBytes(StandardCharsets.UTF_8);

    private final String topic;
    private final Format format;
    private final int items;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper objectMapper = new ObjectMapper();
    private final Thread thread;

    // written by the consumer thread only
    private final boolean[] seen;
    private volatile int nodesSeen;
    private volatile long records;
    private volatile long maxTickSeen;
    private long verified;
    private volatile long allNodesSeenAtMillis = -1;
    private volatile String failure;

    // the window: opened by the caller, filled by the consumer thread, closed by the caller
    private volatile Window window;

    SignalTopicMeter(String bootstrap, Map<String, Object> login, String topic, Format format, int items) {
        this.topic = topic;
        this.format = format;
        this.items = items;
        this.seen = new boolean[items];
        Map<String, Object> config = new HashMap<>(login);
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-meter-" + topic,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.consumer = new KafkaConsumer<>(config);
        this.thread = new Thread(this::consume, "bench-meter-" + topic);
        this.thread.setDaemon(true);
    }

    /** Assigns every partition of the topic from its beginning and starts reading. */
    void start(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty()) {
            partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            if (partitions.isEmpty() && System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions after " + timeout);
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    /**
     * Starts counting ticks {@code [fromTick, toTick)}. Call before any value of {@code fromTick}
     * can have been written, i.e. with a tick still to come.
     */
    void openWindow(long fromTick, long toTick) {
        if (maxTickSeen >= fromTick) {
            throw new IllegalStateException("window opened too late: tick " + maxTickSeen + " already seen, window starts at "
                    + fromTick);
        }
        window = new Window(fromTick, toTick, items);
    }

    /**
     * Waits until every change of the window arrived or {@code timeout} passed, stops counting and
     * returns what the window holds.
     */
    WindowResult awaitWindow(Duration timeout) throws InterruptedException {
        Window current = window;
        current.complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        current.closing = true;
        if (!current.closed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the meter of " + topic + " did not stop counting; is it still running?");
        }
        return current.result();
    }

    /** Epoch millis when the meter read the first value of the last node to deliver one, or -1. */
    long allNodesSeenAtMillis() {
        return allNodesSeenAtMillis;
    }

    /** What the meter has read so far, for the notes: records, nodes seen, newest tick. */
    String readSoFar() {
        return String.format(java.util.Locale.ROOT, "meter read %,d records from %,d of %,d nodes, newest tick %d",
                records, nodesSeen, items, maxTickSeen);
    }

    /** The reason the meter stopped, if it did. */
    String failure() {
        return failure;
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consume() {
        try {
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    measure(record);
                }
                Window current = window;
                if (current != null && current.closing && current.closed.getCount() > 0) {
                    current.closed.countDown();
                }
            }
        } catch (WakeupException stop) {
            // close()
        } catch (RuntimeException e) {
            failure = e.toString();
            Window current = window;
            if (current != null) {
                current.complete.countDown();
                current.closed.countDown();
            }
            throw e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void measure(ConsumerRecord<byte[], byte[]> record) {
        byte[] json = record.value();
        int index = nodeIndex(json);
        long tick = value(json);
        long sourceMicros = sourceMicros(json);
        if (verified < VERIFIED_RECORDS) {
            verify(json, index, tick, sourceMicros);
            verified++;
        }
        records++;
        maxTickSeen = Math.max(maxTickSeen, tick);
        if (!seen[index]) {
            seen[index] = true;
            if (++nodesSeen == items) {
                // read time, not the record's: records written before the topic was switched to
                // LogAppendTime carry whatever timestamp the producer set
                allNodesSeenAtMillis = System.currentTimeMillis();
            }
        }
        Window current = window;
        if (current != null && !current.closing) {
            current.count(index, tick, record.timestamp() * 1000 - sourceMicros, record.timestampType());
        }
    }

    /** Jackson's reading of the record must agree with the byte scan. */
    private void verify(byte[] json, int index, long tick, long sourceMicros) {
        JsonNode root;
        try {
            root = objectMapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON on " + topic + ": " + new String(json, StandardCharsets.UTF_8), e);
        }
        String node;
        JsonNode value;
        String time;
        if (format == Format.BARE) {
            node = root.path("node").asText();
            value = root.path("value");
            time = root.path("sourceTime").asText();
        } else {
            if (!"io.millwright.signal.v1".equals(root.path("type").asText())) {
                throw new IllegalStateException("not a signal event on " + topic + ": " + root);
            }
            node = root.path("data").path("tag").asText();
            value = root.path("data").path("value");
            time = root.path("time").asText();
        }
        Instant instant = Instant.parse(time);
        long micros = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
        if (!node.equals(BenchOpcUaServer.nodeId(index)) || value.asLong() != tick || micros != sourceMicros) {
            throw new IllegalStateException("byte scan read node=" + index + " value=" + tick + " sourceMicros=" + sourceMicros
                    + " but the record is " + root);
        }
    }

    private int nodeIndex(byte[] json) {
        int at = indexOf(json, format.node, 0);
        int digits = at < 0 ? -1 : indexOf(json, BENCH_IDENTIFIER, at + format.node.length);
        if (digits < 0) {
            throw unreadable("node id", json);
        }
        int index = 0;
        for (int i = digits + BENCH_IDENTIFIER.length; i < json.length && isDigit(json[i]); i++) {
            index = index * 10 + (json[i] - '0');
        }
        if (index >= items) {
            throw unreadable("node id within " + items + " items", json);
        }
        return index;
    }

    private long value(byte[] json) {
        int from = format.valueScope == null ? 0 : indexOf(json, format.valueScope, 0);
        int at = from < 0 ? -1 : indexOf(json, format.value, from);
        if (at < 0) {
            throw unreadable("value", json);
        }
        long value = 0;
        int i = at + format.value.length;
        if (i >= json.length || !isDigit(json[i])) {
            throw unreadable("a non-negative whole value", json);
        }
        for (; i < json.length && isDigit(json[i]); i++) {
            value = value * 10 + (json[i] - '0');
        }
        return value;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} to epoch microseconds. */
    private long sourceMicros(byte[] json) {
        int at = indexOf(json, format.time, 0);
        if (at < 0) {
            throw unreadable("source time", json);
        }
        int i = at + format.time.length;
        if (json.length < i + 20 || json[i + 4] != '-' || json[i + 10] != 'T' || json[i + 13] != ':') {
            throw unreadable("an ISO-8601 UTC source time", json);
        }
        long days = daysFromCivil(number(json, i, 4), number(json, i + 5, 2), number(json, i + 8, 2));
        long seconds = days * 86_400 + number(json, i + 11, 2) * 3600L + number(json, i + 14, 2) * 60L
                + number(json, i + 17, 2);
        long micros = 0;
        int j = i + 19;
        if (json[j] == '.') {
            int scale = 100_000;
            for (j++; j < json.length && isDigit(json[j]); j++) {
                micros += (json[j] - '0') * (long) scale;
                scale /= 10;
            }
        }
        if (j >= json.length || json[j] != 'Z') {
            throw unreadable("a UTC ('Z') source time", json);
        }
        return seconds * 1_000_000 + micros;
    }

    private static int number(byte[] json, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            n = n * 10 + (json[i] - '0');
        }
        return n;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        year -= month <= 2 ? 1 : 0;
        int era = (year >= 0 ? year : year - 399) / 400;
        int yearOfEra = year - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private IllegalStateException unreadable(String what, byte[] json) {
        return new IllegalStateException(
                "cannot read " + what + " from a record on " + topic + ": " + new String(json, StandardCharsets.UTF_8));
    }

    /** Counts of one window of ticks; filled by the consumer thread. */
    private static final class Window {

        final long fromTick;
        final long toTick;
        final long expected;
        final int words;
        final long[] bits;
        final Histogram latency = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
        final CountDownLatch complete = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean closing;
        long received;
        long duplicates;
        long createTime;
        long negative;

        Window(long fromTick, long toTick, int items) {
            this.fromTick = fromTick;
            this.toTick = toTick;
            this.expected = (toTick - fromTick) * items;
            this.words = (int) ((toTick - fromTick + 63) / 64);
            this.bits = new long[items * words];
        }

        void count(int index, long tick, long latencyMicros, TimestampType timestampType) {
            if (tick < fromTick || tick >= toTick) {
                return;
            }
            long offset = tick - fromTick;
            int word = index * words + (int) (offset >>> 6);
            long bit = 1L << (offset & 63);
            if ((bits[word] & bit) != 0) {
                duplicates++;
                return;
            }
            bits[word] |= bit;
            received++;
            if (timestampType != TimestampType.LOG_APPEND_TIME) {
                createTime++;
            }
            if (latencyMicros < 0) {
                negative++;
                latencyMicros = 0;
            }
            latency.recordValue(Math.min(latencyMicros, latency.getHighestTrackableValue()));
            if (received == expected) {
                complete.countDown();
            }
        }

        WindowResult result() {
            return new WindowResult(fromTick, toTick, expected, received, duplicates, createTime, negative, latency);
        }
    }
}
