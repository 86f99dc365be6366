package io.millwright.bench.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.analytics.FeedBenchAccess;
import io.millwright.mes.SignalJsonBenchAccess;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventIds;
import io.millwright.model.EventType;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import io.millwright.ops.KafkaRecordBatches;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * What the analytics side routes cost per signal, stage by stage, without the whole hub (issue #5):
 * N signal records exactly as the hub puts them on {@code millwright.events.signal} (the hub's own
 * event JSON writer, keyed by asset path, lz4 record batches as Kafka's producer builds them), read
 * back a poll of 2,000 at a time as the feed's consumer gets them, then through the feed's parse, the
 * lake (DuckDB appender, size roll and final roll to Parquet), the rollups and anomaly detection, as
 * their routes do. Figures are the feed thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()})
 * per signal, beside a bare baseline in the same run: Jackson's streaming parser reading the same bytes
 * into nothing, and DuckDB's own appender writing the same 14 columns (already extracted) and one
 * {@code COPY ... (FORMAT PARQUET, COMPRESSION ZSTD)}. The hub runs three times per round: parsing JSON
 * trees only (every step on its tree path, as before signals were read flat), flat with the lake on
 * DuckDB's appender (as before the NDJSON staging), and as shipped (flat, signals staged as NDJSON and
 * converted by DuckDB's JSON reader at the roll). All lakes are read back and compared (rows, ids, sums,
 * and a hash over every column of every row); the run exits 1 when any differs.
 *
 * <p>The signals: {@code --tags} tags (default 10,000), ten per asset as in the telemetry benchmark,
 * each changing once per 200 ms of source time; a fifth of them named {@code temperature} or
 * {@code vibration} (what anomaly detection watches, as shipped), the others Int64 ticks.
 * Options: {@code --signals N} (default 200,000), {@code --tags N}, {@code --rounds N} (default 3;
 * the first is warm-up, the median of the others is printed).
 */
public final class AnalyticsFeedBenchmark {

    private static final int POLL = 2000;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final String[] NAMES = {"temperature", "vibration", "pressure", "speed", "current", "voltage", "flow", "level",
            "torque", "humidity"};
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalyticsFeedBenchmark() {}

    public static void main(String[] args) throws Exception {
        int signals = AnalyticsBenchmark.intArg(args, "--signals", 200_000);
        int tags = AnalyticsBenchmark.intArg(args, "--tags", 10_000);
        int rounds = Math.max(2, AnalyticsBenchmark.intArg(args, "--rounds", 3));
        List<byte[]> values = signals(signals, tags);
        List<MemoryRecords> batches = lz4Batches(values);
        long jsonBytes = values.stream().mapToLong(v -> v.length).sum();
        Path work = Files.createTempDirectory("mw-bench-feed");

        String[] stages = {"Kafka records: lz4 decompress + copy", "parse", "lake (append, rolls to Parquet)", "rollups", "anomaly detection"};
        // [mode][stage][round]: mode 0 parses JSON trees only (as before signals were read flat), mode 1 reads signals
        // flat into DuckDB's appender (as before the NDJSON staging), mode 2 as shipped (flat, staged as NDJSON)
        int modes = 3;
        double[][][] hub = new double[modes][stages.length][rounds - 1];
        double[] bareParse = new double[rounds - 1];
        double[] bareLake = new double[rounds - 1];
        double[] bareCopy = new double[rounds - 1];
        String[] hubLakeAnswer = new String[modes];
        String bareLakeAnswer = null;
        long[] rolled = new long[modes];
        long[] anomalyEvents = new long[modes];
        long refused = 0;
        for (int round = 0; round < rounds; round++) {
            for (int mode = 0; mode < modes; mode++) {
                long[] nanos = new long[stages.length];
                Path hubLake = work.resolve("hub-" + mode + "-" + round);
                try (FeedBenchAccess feed = new FeedBenchAccess(hubLake, mode == 2)) {
                    for (List<KafkaRecordBatches.Record> poll : polls(batches, nanos)) {
                        long t0 = THREADS.getCurrentThreadCpuTime();
                        if (mode == 0) {
                            feed.parseAsTrees(poll);
                        } else {
                            feed.parse(poll);
                        }
                        long t1 = THREADS.getCurrentThreadCpuTime();
                        feed.lake();
                        long t2 = THREADS.getCurrentThreadCpuTime();
                        feed.rollups();
                        long t3 = THREADS.getCurrentThreadCpuTime();
                        feed.anomaly();
                        long t4 = THREADS.getCurrentThreadCpuTime();
                        nanos[1] += t1 - t0;
                        nanos[2] += t2 - t1;
                        nanos[3] += t3 - t2;
                        nanos[4] += t4 - t3;
                    }
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    feed.flushLake();
                    nanos[2] += THREADS.getCurrentThreadCpuTime() - t0;
                    rolled[mode] = feed.rolledSamples();
                    anomalyEvents[mode] = feed.anomalyEvents();
                    refused += feed.refused();
                }
                if (round > 0) {
                    for (int s = 0; s < stages.length; s++) {
                        hub[mode][s][round - 1] = nanos[s] / 1e3 / signals;
                    }
                }
                hubLakeAnswer[mode] = lakeAnswer("read_parquet('" + hubLake.resolve("type=signal") + "/*/*.parquet')");
            }
            long bareParseNanos = bareParse(values);
            Path bareFile = work.resolve("bare-" + round + ".parquet");
            long bareLakeNanos = bareLake(values, bareFile);
            if (round > 0) {
                bareParse[round - 1] = bareParseNanos / 1e3 / signals;
                bareLake[round - 1] = bareLakeNanos / 1e3 / signals;
                bareCopy[round - 1] = bareCopyNanos / 1e3 / signals;
            }
            bareLakeAnswer = lakeAnswer("read_parquet('" + bareFile + "')");
        }
        boolean same = refused == 0;
        for (int mode = 0; mode < modes; mode++) {
            same &= hubLakeAnswer[mode].equals(bareLakeAnswer) && rolled[mode] == expectedRolled(values) && anomalyEvents[mode] == anomalyEvents[0];
        }

        System.out.printf(Locale.ROOT, "analytics feed benchmark: %,d signals (%,d tags, %.0f bytes of JSON each), %d measured rounds (median),"
                + " uptime: %s%n", signals, tags, (double) jsonBytes / signals, rounds - 1,
                new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        System.out.printf(Locale.ROOT, "%-46s %12s %12s %12s %12s %7s%n", "thread CPU-us per signal", "hub, trees", "flat+append", "flat+ndjson",
                "bare", "ratio");
        double[] side = new double[modes];
        for (int s = 0; s < stages.length; s++) {
            double[] m = new double[modes];
            for (int mode = 0; mode < modes; mode++) {
                m[mode] = AnalyticsBenchmark.median(hub[mode][s]);
                if (s > 0) {
                    side[mode] += m[mode];
                }
            }
            Double bare = s == 1 ? Double.valueOf(AnalyticsBenchmark.median(bareParse))
                    : s == 2 ? Double.valueOf(AnalyticsBenchmark.median(bareLake)) : null;
            System.out.printf(Locale.ROOT, "%-46s %12.2f %12.2f %12.2f %12s %7s%n", stages[s], m[0], m[1], m[2],
                    bare == null ? (s == 0 ? "(same)" : "-") : fmt(bare), bare == null ? "" : fmt(m[2] / bare));
        }
        double bareSide = AnalyticsBenchmark.median(bareParse) + AnalyticsBenchmark.median(bareLake);
        System.out.printf(Locale.ROOT, "%-46s %12.2f %12.2f %12.2f %12.2f %7.2f%n", "side routes (parse + lake + rollups + anomaly)", side[0],
                side[1], side[2], bareSide, side[2] / bareSide);
        System.out.printf(Locale.ROOT, "ratio column: flat+ndjson / bare (bare lake = DuckDB's appender of the extracted columns + COPY)%n");
        System.out.printf(Locale.ROOT, "of the bare lake: COPY to Parquet (ZSTD) %.2f, appender %.2f%n", AnalyticsBenchmark.median(bareCopy),
                AnalyticsBenchmark.median(bareLake) - AnalyticsBenchmark.median(bareCopy));
        System.out.printf(Locale.ROOT, "lake read back: trees %s, flat+append %s, flat+ndjson %s, bare %s; rollup samples %,d / %,d / %,d;"
                + " anomaly events %,d / %,d / %,d; refused %d: %s%n", hubLakeAnswer[0], hubLakeAnswer[1], hubLakeAnswer[2], bareLakeAnswer,
                rolled[0], rolled[1], rolled[2], anomalyEvents[0], anomalyEvents[1], anomalyEvents[2], refused, same ? "same" : "DIFFERENT");
        org.springframework.util.FileSystemUtils.deleteRecursively(work);
        if (!same) {
            System.exit(1);
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Signal events as the hub writes them: ten tags per asset, each changing every 200 ms of source time. */
    private static List<byte[]> signals(int count, int tags) throws Exception {
        SignalJsonBenchAccess writer = new SignalJsonBenchAccess();
        Random random = new Random(42);
        Instant start = Instant.parse("2026-12-01T09:00:00Z");
        List<byte[]> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int tag = i % tags;
            long tick = i / tags + 1;
            int asset = tag / 10;
            String subject = "bench/site/area/line-" + asset / 20 + "/cell-" + asset % 20;
            String name = NAMES[tag % 10];
            Object value = tag % 10 < 2 ? Math.round((tag % 10 == 0 ? 60 : 2) * (1 + random.nextGaussian() * 0.01) * 1000) / 1000.0 : tick;
            Instant time = start.plusMillis(200 * tick + (tag % 20) * 10L);
            EventEnvelope<Signal> event = new EventEnvelope<>("1.0", EventIds.next(), EventType.SIGNAL.cloudEventType(), "opcua://bench",
                    subject, time, "application/json", EventType.SIGNAL.dataSchema(), time.plusMillis(3), EventIds.next(),
                    new Signal(String.format("nsu=urn:millwright:bench;s=Bench.V%06d", tag), name, value, tag % 10 < 2 ? "CEL" : "1",
                            Quality.GOOD, "0x00000000"));
            events.add(writer.write(event));
        }
        return events;
    }

    /** The records as Kafka's producer batches them: lz4, keyed by asset path, the hub's content-type header. */
    private static List<MemoryRecords> lz4Batches(List<byte[]> values) {
        List<MemoryRecords> batches = new ArrayList<>();
        Header[] headers = {new RecordHeader("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8))};
        MemoryRecordsBuilder builder = null;
        long offset = 0;
        long now = System.currentTimeMillis();
        for (byte[] value : values) {
            byte[] key = subjectOf(value);
            if (builder == null || !builder.hasRoomFor(now, key, value, headers)) {
                if (builder != null) {
                    batches.add(builder.build());
                }
                builder = MemoryRecords.builder(ByteBuffer.allocate(BATCH_BYTES), Compression.lz4().build(), TimestampType.CREATE_TIME, offset);
            }
            builder.append(now, key, value, headers);
            offset++;
        }
        batches.add(builder.build());
        return batches;
    }

    private static byte[] subjectOf(byte[] value) {
        try {
            return JSON.readTree(value).path("subject").asText().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The batches' records decompressed and copied out, as the consumer and its byte-array deserializer do, in polls of 2,000. */
    private static List<List<KafkaRecordBatches.Record>> polls(List<MemoryRecords> batches, long[] nanos) {
        long started = THREADS.getCurrentThreadCpuTime();
        long now = System.currentTimeMillis(); // Kafka's timestamp: after the side routes started, so anomaly detection counts them
        List<List<KafkaRecordBatches.Record>> polls = new ArrayList<>();
        List<KafkaRecordBatches.Record> poll = new ArrayList<>(POLL);
        BufferSupplier buffers = BufferSupplier.create();
        for (MemoryRecords records : batches) {
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(records.buffer().duplicate()).batches()) {
                try (CloseableIterator<Record> it = batch.streamingIterator(buffers)) {
                    while (it.hasNext()) {
                        Record record = it.next();
                        byte[] value = new byte[record.valueSize()];
                        record.value().get(value);
                        poll.add(new KafkaRecordBatches.Record(value, now));
                        if (poll.size() == POLL) {
                            polls.add(poll);
                            poll = new ArrayList<>(POLL);
                        }
                    }
                }
            }
        }
        if (!poll.isEmpty()) {
            polls.add(poll);
        }
        nanos[0] += THREADS.getCurrentThreadCpuTime() - started;
        return polls;
    }

    /** Jackson's streaming parser over every record, into nothing: the floor of any parse. */
    private static long bareParse(List<byte[]> values) throws Exception {
        JsonFactory factory = JSON.getFactory();
        long tokens = 0;
        long started = THREADS.getCurrentThreadCpuTime();
        for (byte[] value : values) {
            try (JsonParser parser = factory.createParser(value)) {
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    tokens += token.id();
                }
            }
        }
        long nanos = THREADS.getCurrentThreadCpuTime() - started;
        if (tokens == 42) {
            System.out.print(""); // keeps the loop's result alive
        }
        return nanos;
    }

    /** CPU time of the bare lake's last COPY to Parquet. */
    private static long bareCopyNanos;

    /** DuckDB's own appender writing the same 14 columns (extracted beforehand, not timed) and one COPY to Parquet, ZSTD. */
    private static long bareLake(List<byte[]> values, Path file) throws Exception {
        List<Object[]> rows = new ArrayList<>(values.size());
        for (byte[] value : values) {
            JsonNode e = JSON.readTree(value);
            JsonNode d = e.path("data");
            rows.add(new Object[] {e.path("id").asText(), e.path("type").asText(), e.path("source").asText(), e.path("subject").asText(),
                    AnalyticsBenchmark.micros(e.path("time").asText()), AnalyticsBenchmark.micros(e.path("receivedtime").asText()), e.path("correlationid").asText(),
                    d.path("tag").asText(), d.path("value").doubleValue(), d.path("value").asText(), d.path("unit").asText(),
                    d.path("quality").asText(), d.path("statusCode").asText(), d.path("name").asText()});
        }
        long started = THREADS.getCurrentThreadCpuTime();
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
            AnalyticsBenchmark.createSignalTable(duck);
            try (DuckDBAppender appender = duck.createAppender("main", "signal")) {
                for (Object[] row : rows) {
                    appender.beginRow();
                    for (int c = 0; c < row.length; c++) {
                        if (c == 4 || c == 5) {
                            appender.appendEpochMicros((Long) row[c]);
                        } else if (c == 8) {
                            appender.append((Double) row[c]);
                        } else {
                            appender.append((String) row[c]);
                        }
                    }
                    appender.endRow();
                }
            }
            bareCopyNanos = THREADS.getCurrentThreadCpuTime();
            try (Statement statement = duck.createStatement()) {
                statement.execute("COPY signal TO '" + file + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
            }
        }
        long ended = THREADS.getCurrentThreadCpuTime();
        bareCopyNanos = ended - bareCopyNanos;
        return ended - started;
    }

    /**
     * What the lakes hold: rows, distinct ids, the sum of the values, of their source times and of the text lengths, and
     * the XOR of every row's hash over all 14 columns (order-independent: any value that differs shows).
     */
    private static String lakeAnswer(String source) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT id), round(sum(value), 3), sum(epoch_us(time)),"
                        + " sum(length(value_text) + length(subject) + length(tag) + length(name) + length(correlationid)),"
                        + " bit_xor(hash(id, cetype, source, subject, time, receivedtime, correlationid, tag, value, value_text, unit, quality,"
                        + " statuscode, name)) FROM " + source)) {
            rs.next();
            return rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getString(4) + "/" + rs.getString(5)
                    + "/" + Long.toHexString(rs.getLong(6));
        }
    }

    private static long expectedRolled(List<byte[]> values) {
        return values.size(); // every signal is GOOD and numeric: each is rolled up
    }
}
