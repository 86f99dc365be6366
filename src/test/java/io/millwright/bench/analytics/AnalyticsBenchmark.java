package io.millwright.bench.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.analytics.LakeBenchAccess;
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
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Analytics benchmark (issue #10), in one JVM, each side measured in the same run:
 * <ol>
 *   <li>events/s written to the lake: the hub's {@code ParquetLake} as the lake route drives it
 *       (JSON parse, append, roll to Parquet) beside a bare DuckDB appender writing the same rows
 *       from the same JSON to one Parquet file;</li>
 *   <li>one aggregate query over those files through the hub's lake query (the code behind
 *       {@code POST /api/analytics/query}: views, read-only check, limits; called in-process, not
 *       over HTTP) beside DuckDB reading the same files directly with {@code read_parquet}.</li>
 * </ol>
 * Both answers are compared, so a fast wrong answer shows. Options: {@code --events N} (default
 * 200000), {@code --rounds N} (default 3; the first is warm-up and not counted).
 */
public final class AnalyticsBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "SELECT count(*) AS n, round(sum(value), 3) AS total, round(avg(value), 6) AS mean, count(DISTINCT subject) AS assets"
            + " FROM %s WHERE name = 'temperature' AND quality = 'GOOD'";

    private AnalyticsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = intArg(args, "--events", 200_000);
        int rounds = Math.max(2, intArg(args, "--rounds", 3));
        List<byte[]> input = signals(events);
        Path work = Files.createTempDirectory("mw-bench-analytics");
        double[] hubWrite = new double[rounds - 1];
        double[] bareWrite = new double[rounds - 1];
        Path lastHubLake = null;
        Path lastBareFile = null;
        for (int round = 0; round < rounds; round++) {
            Path hubLake = work.resolve("hub-" + round);
            long hubNanos = LakeBenchAccess.writeSignals(hubLake, input);
            Path bareFile = work.resolve("bare-" + round + ".parquet");
            long bareNanos = bareWrite(bareFile, input);
            if (round > 0) {
                hubWrite[round - 1] = events / (hubNanos / 1e9);
                bareWrite[round - 1] = events / (bareNanos / 1e9);
            }
            lastHubLake = hubLake;
            lastBareFile = bareFile;
        }

        String direct = "read_parquet('" + lastHubLake.resolve("type=signal") + "/*/*.parquet', hive_partitioning = true, union_by_name = true)";
        double[] hubQuery = new double[rounds - 1];
        double[] bareQuery = new double[rounds - 1];
        List<Object> hubAnswer = null;
        List<Object> bareAnswer = null;
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            hubAnswer = LakeBenchAccess.query(lastHubLake, QUERY.formatted("signal"));
            long hubNanos = System.nanoTime() - started;
            started = System.nanoTime();
            bareAnswer = directQuery(QUERY.formatted(direct));
            long bareNanos = System.nanoTime() - started;
            if (round > 0) {
                hubQuery[round - 1] = hubNanos / 1e6;
                bareQuery[round - 1] = bareNanos / 1e6;
            }
        }
        boolean same = hubAnswer.toString().equals(bareAnswer.toString());

        System.out.printf(Locale.ROOT, "analytics benchmark: %d signal events, %d measured rounds (median), uptime: %s%n", events, rounds - 1,
                new String(new ProcessBuilder("uptime").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        System.out.printf(Locale.ROOT, "%-44s %14s %14s %8s%n", "", "hub", "bare DuckDB", "ratio");
        System.out.printf(Locale.ROOT, "%-44s %14.0f %14.0f %8.2f%n", "lake write, events/s (JSON -> Parquet)",
                median(hubWrite), median(bareWrite), median(hubWrite) / median(bareWrite));
        System.out.printf(Locale.ROOT, "%-44s %14.1f %14.1f %8.2f%n", "query over the lake, ms (count/sum/avg)",
                median(hubQuery), median(bareQuery), median(hubQuery) / median(bareQuery));
        System.out.printf(Locale.ROOT, "answers: hub %s, direct %s, %s%n", hubAnswer, bareAnswer, same ? "same" : "DIFFERENT");
        System.out.printf(Locale.ROOT, "Parquet bytes: hub %d, bare %d%n", folderSize(lastHubLake), Files.size(lastBareFile));
        org.springframework.util.FileSystemUtils.deleteRecursively(work);
        if (!same) {
            System.exit(1);
        }
    }

    /** Scripted signal events: 20 assets, temperature and vibration, one every 10 ms of source time. */
    private static List<byte[]> signals(int count) {
        List<byte[]> events = new ArrayList<>(count);
        Instant start = Instant.parse("2026-11-30T00:00:00Z");
        for (int i = 0; i < count; i++) {
            String tag = i % 2 == 0 ? "temperature" : "vibration";
            String subject = "acme/springfield/assembly/line-" + (i % 4 + 1) + "/machine-" + (i % 5 + 1);
            Instant time = start.plusMillis(10L * i);
            events.add(("{\"specversion\":\"1.0\",\"id\":\"b-" + i + "\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://plant-sim\","
                    + "\"subject\":\"" + subject + "\",\"time\":\"" + time + "\",\"receivedtime\":\"" + time.plusMillis(3) + "\","
                    + "\"correlationid\":\"c-" + i + "\",\"data\":{\"tag\":\"nsu=urn:millwright:sim:plant;s=M." + tag + "\",\"name\":\"" + tag
                    + "\",\"value\":" + (i % 1000) / 10.0 + ",\"unit\":\"CEL\",\"quality\":\"GOOD\",\"statusCode\":\"0x00000000\"}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    /** The bare writer: the same columns from the same JSON, one DuckDB appender, one COPY to Parquet. */
    private static long bareWrite(Path file, List<byte[]> events) throws Exception {
        long started = System.nanoTime();
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
            createSignalTable(duck);
            try (DuckDBAppender appender = duck.createAppender("main", "signal")) {
                for (byte[] bytes : events) {
                    JsonNode event = JSON.readTree(bytes);
                    JsonNode data = event.path("data");
                    appender.beginRow();
                    appender.append(event.path("id").asText());
                    appender.append(event.path("type").asText());
                    appender.append(event.path("source").asText());
                    appender.append(event.path("subject").asText());
                    appender.appendEpochMicros(micros(event.path("time").asText()));
                    appender.appendEpochMicros(micros(event.path("receivedtime").asText()));
                    appender.append(event.path("correlationid").asText());
                    appender.append(data.path("tag").asText());
                    appender.append(data.path("value").doubleValue());
                    appender.append(data.path("value").asText());
                    appender.append(data.path("unit").asText());
                    appender.append(data.path("quality").asText());
                    appender.append(data.path("statusCode").asText());
                    appender.append(data.path("name").asText());
                    appender.endRow();
                }
            }
            try (Statement statement = duck.createStatement()) {
                statement.execute("COPY signal TO '" + file + "' (FORMAT PARQUET)");
            }
        }
        return System.nanoTime() - started;
    }

    /** The bare writers' table: the lake's 14 signal columns, in a single-threaded DuckDB on UTC. */
    static void createSignalTable(Connection duck) throws java.sql.SQLException {
        try (Statement statement = duck.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET threads = 1");
            statement.execute("CREATE TABLE signal (id VARCHAR, cetype VARCHAR, source VARCHAR, subject VARCHAR, time TIMESTAMPTZ,"
                    + " receivedtime TIMESTAMPTZ, correlationid VARCHAR, tag VARCHAR, value DOUBLE, value_text VARCHAR, unit VARCHAR,"
                    + " quality VARCHAR, statuscode VARCHAR, name VARCHAR)");
        }
    }

    private static long folderSize(Path folder) throws java.io.IOException {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static long micros(String time) {
        Instant instant = Instant.parse(time);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static List<Object> directQuery(String sql) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            List<Object> row = new ArrayList<>();
            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                Object value = rs.getObject(c);
                row.add(value instanceof java.math.BigDecimal decimal ? decimal.doubleValue() : value);
            }
            return row;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
