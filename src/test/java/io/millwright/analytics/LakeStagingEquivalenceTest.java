package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lake's two ways of buffering signals write the same Parquet rows, column by column and type by type:
 * DuckDB's appender row by row (as before), and the record's own JSON staged as NDJSON and converted by
 * DuckDB's JSON reader at the roll ({@link NdjsonStaging}). Records as the feed hands them to the lake: read
 * flat where {@link SignalEvent} can, else as a tree; the edge cases the appender path handles (nulls, numbers
 * and strings as value, BAD quality, unit missing, times with and without fraction, non-ASCII text), a few
 * hundred random numbers, and records DuckDB reads differently from Jackson (a duplicate key), which make the
 * roll read the staging file line by line.
 */
class LakeStagingEquivalenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String signal(String id, String time, String received, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://plant-sim\","
                + "\"subject\":\"acme/springfield/assembly/line-1/machine-1\","
                + (time == null ? "" : "\"time\":" + time + ",")
                + (received == null ? "" : "\"receivedtime\":" + received + ",")
                + "\"datacontenttype\":\"application/json\",\"correlationid\":\"corr-" + id + "\",\"data\":" + data + "}";
    }

    private static List<String> records(boolean withDuplicateKey) {
        String t = "\"2026-11-30T10:00:00.123Z\"";
        String r = "\"2026-11-30T10:00:00.125Z\"";
        List<String> records = new ArrayList<>(List.of(
                signal("double", t, r, "{\"tag\":\"ns=3;s=M1.T\",\"name\":\"temperature\",\"value\":61.25,\"unit\":\"CEL\",\"quality\":\"GOOD\",\"statusCode\":\"0x00000000\"}"),
                signal("int", t, r, "{\"tag\":\"ns=3;s=M1.Count\",\"value\":42,\"unit\":\"1\",\"quality\":\"GOOD\"}"),
                signal("long", t, r, "{\"tag\":\"ns=3;s=M1.Ticks\",\"value\":9007199254740993,\"quality\":\"GOOD\"}"),
                signal("negative-long", t, r, "{\"tag\":\"ns=3;s=M1.Ticks\",\"value\":-9223372036854775807,\"quality\":\"GOOD\"}"),
                signal("tiny", t, r, "{\"tag\":\"ns=3;s=M1.Tiny\",\"value\":1.0E-7,\"quality\":\"GOOD\"}"),
                signal("exponent", t, r, "{\"tag\":\"ns=3;s=M1.Big\",\"value\":1e7,\"quality\":\"GOOD\"}"),
                signal("trailing-zero", t, r, "{\"tag\":\"ns=3;s=M1.P\",\"value\":60.120,\"quality\":\"GOOD\"}"),
                signal("minus-zero", t, r, "{\"tag\":\"ns=3;s=M1.Z\",\"value\":-0.0,\"quality\":\"GOOD\"}"),
                signal("minus-zero-int", t, r, "{\"tag\":\"ns=3;s=M1.Z\",\"value\":-0,\"quality\":\"GOOD\"}"),
                signal("overflow", t, r, "{\"tag\":\"ns=3;s=M1.Inf\",\"value\":1e400,\"quality\":\"GOOD\"}"),
                signal("true", t, r, "{\"tag\":\"ns=3;s=M1.Door\",\"value\":true,\"quality\":\"GOOD\"}"),
                signal("false", t, r, "{\"tag\":\"ns=3;s=M1.Door\",\"value\":false,\"quality\":\"GOOD\"}"),
                signal("string", t, r, "{\"tag\":\"ns=3;s=M1.Order\",\"value\":\"1000011\",\"quality\":\"GOOD\"}"),
                signal("numeric-string", t, r, "{\"tag\":\"ns=3;s=M1.Order\",\"value\":\"60.120\",\"quality\":\"GOOD\"}"),
                signal("true-string", t, r, "{\"tag\":\"ns=3;s=M1.Order\",\"value\":\"true\",\"quality\":\"GOOD\"}"),
                signal("escapes", t, r, "{\"tag\":\"ns=3;s=M1.Text\",\"value\":\"a \\\"quoted\\\" \\\\ back\\tslash\\n\\u0001\",\"quality\":\"GOOD\"}"),
                signal("non-ascii", t, r, "{\"tag\":\"ns=3;s=Pr\u00fcfstand.Temp\u00e9rature\",\"name\":\"Temperatur \u00b0C\",\"value\":\"Stra\u00dfe \u6e29\u5ea6 \ud83d\ude00\","
                        + "\"unit\":\"\u00b0C\",\"quality\":\"GOOD\"}"),
                signal("escaped-non-ascii", t, r, "{\"tag\":\"ns=3;s=M1.E\",\"value\":\"\\u00e9\\ud83d\\ude00\",\"quality\":\"GOOD\"}"),
                signal("bad-null", t, r, "{\"tag\":\"ns=3;s=M1.T\",\"value\":null,\"unit\":\"CEL\",\"quality\":\"BAD\",\"statusCode\":\"0x80000000\"}"),
                signal("bad-absent", t, r, "{\"tag\":\"ns=3;s=M1.T\",\"quality\":\"BAD\",\"statusCode\":\"0x80000000\"}"),
                signal("no-unit", t, r, "{\"tag\":\"ns=3;s=M1.T\",\"value\":3,\"quality\":\"GOOD\"}"),
                signal("nulls", "null", "null", "{\"tag\":null,\"name\":null,\"value\":1,\"unit\":null,\"quality\":null,\"statusCode\":null}"),
                signal("empty-strings", t, r, "{\"tag\":\"\",\"name\":\"\",\"value\":\"\",\"unit\":\"\",\"quality\":\"\",\"statusCode\":\"\"}"),
                signal("no-fraction", "\"2026-11-30T10:00:00Z\"", "\"2026-11-30T10:00:01Z\"", "{\"tag\":\"t\",\"value\":1}"),
                signal("one-digit", "\"2026-11-30T10:00:00.1Z\"", null, "{\"tag\":\"t\",\"value\":1}"),
                signal("six-digits", "\"2026-11-30T10:00:00.123456Z\"", null, "{\"tag\":\"t\",\"value\":1}"),
                signal("nine-digits", "\"2026-11-30T10:00:00.999999999Z\"", "\"2026-11-30T10:00:00.000000001Z\"", "{\"tag\":\"t\",\"value\":1}"),
                signal("offset", "\"2026-11-30T23:30:00.5+02:00\"", null, "{\"tag\":\"t\",\"value\":1}"),
                signal("before-1970", "\"1969-12-31T23:59:59.999999Z\"", null, "{\"tag\":\"t\",\"value\":1}"),
                signal("received-only", null, r, "{\"tag\":\"t\",\"value\":1}"),
                signal("leap-day", "\"2028-02-29T00:00:00Z\"", null, "{\"tag\":\"t\",\"value\":2}"),
                signal("extra-fields", t, r, "{\"tag\":\"t\",\"value\":5,\"extra\":{\"nested\":[1,{\"a\":null}]},\"Unit\":\"upper-case key\"}"),
                "  " + signal("whitespace", t, r, "{ \"tag\" : \"t\" , \"value\" : 6 }") + " \t ",
                // not read flat: the tree and the appender take them, in both lakes
                signal("object-value", t, r, "{\"tag\":\"t\",\"value\":{\"x\":1,\"y\":[2]}}"),
                signal("big-integer", t, r, "{\"tag\":\"t\",\"value\":123456789012345678901234567890}"),
                // a line break in the record: staged ones would split, so it goes through the appender
                signal("line-break", t, r, "{\"tag\":\"t\",\n\"value\":7}"),
                signal("carriage-return", t, r, "{\"tag\":\"t\",\r\n\"value\":8}")));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            double magnitude = Math.pow(10, random.nextInt(30) - 15);
            String value = switch (i % 5) {
                case 0 -> Double.toString(random.nextGaussian() * magnitude);
                case 1 -> Long.toString(random.nextLong() >> random.nextInt(60));
                case 2 -> String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble() * 1000);
                case 3 -> String.format(java.util.Locale.ROOT, "%.17g", random.nextGaussian() * magnitude);
                default -> String.format(java.util.Locale.ROOT, "%de%d", random.nextInt(1000), random.nextInt(40) - 20);
            };
            records.add(signal("random-" + i, "\"2026-11-30T10:00:0" + i % 10 + "." + (100 + i) + "Z\"", r,
                    "{\"tag\":\"ns=3;s=R" + i + "\",\"value\":" + value + ",\"quality\":\"GOOD\"}"));
        }
        if (withDuplicateKey) {
            records.add(signal("duplicate-key", t, r, "{\"tag\":\"first\",\"tag\":\"second\",\"value\":10}"));
            // a field named as the staging's own: DuckDB sees that key twice too
            records.add(signal("own-lake-key", t, r, "{\"tag\":\"t\",\"value\":9}").replace("\"data\":", "\"__lake\":{\"t\":1},\"data\":"));
        }
        return records;
    }

    @ParameterizedTest(name = "a record DuckDB reads differently from Jackson: {0}")
    @ValueSource(booleans = {false, true})
    void stagedSignalsGiveTheAppendersRowsColumnByColumn(boolean withDuplicateKey) throws Exception {
        Path base = Path.of(HubTestProperties.newDataDir("lake-staging"));
        Path appended = base.resolve("appender");
        Path staged = base.resolve("staged");
        List<String> records = records(withDuplicateKey);
        long unstaged;
        try (ParquetLake before = lake(appended, false); ParquetLake after = lake(staged, true)) {
            for (String record : records) {
                append(before, record);
                append(after, record);
            }
            assertThat(count(Files.list(staged.resolve(".staging")))).as("signals staged as NDJSON").isGreaterThan(0);
            before.flush();
            after.flush();
            unstaged = after.unstagedFiles();
            assertThat(after.writtenEvents()).isEqualTo(records.size());
            assertThat(after.droppedEvents()).isZero();
        }
        // the duplicate key makes DuckDB refuse the staging file: its lines then go through the appender, as before
        assertThat(unstaged).isEqualTo(withDuplicateKey ? 1 : 0);
        assertThat(count(Files.list(staged.resolve(".staging")))).as("staging files deleted once rolled").isZero();

        List<String> expected = rows(appended);
        assertThat(expected).hasSize(records.size()); // control: the appender's rows are there to compare with
        assertThat(rows(staged)).containsExactlyElementsOf(expected);
        assertThat(schema(staged)).isEqualTo(schema(appended)).contains("time TIMESTAMP WITH TIME ZONE", "value DOUBLE");
        // a few rows spelled out, so that the comparison is not between two equally wrong lakes
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=double|").contains("|time=2026-11-30T10:00:00.123Z|")
                .contains("|value=61.25|").contains("|value_text=61.25|unit=CEL|"));
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=exponent|").contains("|value=1.0E7|").contains("|value_text=1.0E7|"));
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=nine-digits|")
                .contains("|time=2026-11-30T10:00:00.999999Z|receivedtime=2026-11-30T10:00Z|"));
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=bad-null|").contains("|value=null|value_text=null|")
                .contains("|quality=BAD|"));
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=non-ascii|").contains("Stra\u00dfe \u6e29\u5ea6 \ud83d\ude00"));
        assertThat(expected).anySatisfy(row -> assertThat(row).startsWith("id=true|").contains("|value=1.0|").contains("|value_text=true|"));
    }

    /** As {@link LakeRoute#appendPoll} does: flat when {@link SignalEvent} reads it, else the tree. */
    private static void append(ParquetLake lake, String record) throws Exception {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        SignalEvent signal = SignalEvent.read(JSON.getFactory(), bytes);
        if (signal != null) {
            lake.append(signal, bytes, bytes.length);
        } else {
            lake.append("signal", JSON.readTree(bytes), bytes.length);
        }
    }

    private static ParquetLake lake(Path root, boolean stageSignals) {
        return new ParquetLake(root, new LocalLakeStore(root.toAbsolutePath().normalize()), 64L << 20, Duration.ofMinutes(5),
                Clock.systemUTC(), stageSignals);
    }

    /** Every column of every signal row with its partition date, by id (the value's exact bits beside its text). */
    static List<String> rows(Path lake) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = sql.executeQuery("SELECT *, epoch_us(\"time\") AS time_us, epoch_us(receivedtime) AS received_us FROM read_parquet('"
                    + lake.toString().replace("'", "''") + "/type=signal/*/*.parquet', hive_partitioning = true) ORDER BY id")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        String name = rs.getMetaData().getColumnName(c);
                        row.append(name).append('=').append(rs.getString(c)).append('|');
                        if (name.equals("value") && rs.getObject(c) != null) {
                            row.append("value_bits=").append(Long.toHexString(Double.doubleToRawLongBits(rs.getDouble(c)))).append('|');
                        }
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    /** The Parquet files' columns and types, as DuckDB reads them. */
    static String schema(Path lake) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + lake.toString().replace("'", "''")
                        + "/type=signal/*/*.parquet')")) {
            List<String> columns = new ArrayList<>();
            while (rs.next()) {
                columns.add(rs.getString(1) + " " + rs.getString(2));
            }
            return String.join(", ", columns);
        }
    }

    static long count(Stream<Path> files) {
        try (files) {
            return files.count();
        }
    }
}
