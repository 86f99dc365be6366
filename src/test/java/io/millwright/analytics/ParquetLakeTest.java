package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A scripted stream of canonical events goes through the lake writer; DuckDB, on its own
 * connection, reads the Parquet files back from their Hive partitions with exact counts and sums.
 */
class ParquetLakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String M1 = "acme/springfield/assembly/line-1/machine-1";
    private static final String M2 = "acme/springfield/assembly/line-1/machine-2";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));

    @Test
    void scriptedStreamIsReadBackByDuckDbWithExactCountsAndSums() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake"), "lake");
        // rolls by size after ~40 signals of ~300 bytes, so the signal partition gets several files
        try (ParquetLake lake = new ParquetLake(root, 12_000, Duration.ofMinutes(5), clock)) {
            // 100 signals on 2026-11-29 23:59:10 + i s: 50 on the 29th, 50 on the 30th (UTC date of 'time')
            for (int i = 0; i < 100; i++) {
                Instant time = Instant.parse("2026-11-29T23:59:10Z").plusSeconds(i);
                String asset = i % 2 == 0 ? M1 : M2;
                append(lake, "signal", signal("s-" + i, asset, time, "temperature", String.valueOf(20 + i * 0.5)));
            }
            // a BAD value (null), a text value and a boolean
            append(lake, "signal", signal("s-bad", M1, Instant.parse("2026-11-30T00:00:59Z"), "temperature", null));
            append(lake, "signal", signal("s-text", M1, Instant.parse("2026-11-30T00:00:59Z"), "order", "\"1000011\""));
            append(lake, "signal", signal("s-bool", M1, Instant.parse("2026-11-30T00:00:59Z"), "door", "true"));
            // counts: delta 1..10 on the 30th
            for (int i = 1; i <= 10; i++) {
                append(lake, "production-count", """
                        {"specversion":"1.0","id":"c-%d","type":"io.millwright.production-count.v1","source":"opcua://plant-sim",
                         "subject":"%s","time":"2026-11-30T08:00:%02dZ","receivedtime":"2026-11-30T08:00:%02d.5Z","correlationid":"corr-%d",
                         "data":{"orderId":"1000011","operation":"0010","counter":"GOOD","delta":%d,"total":%d,"unit":"PC"}}"""
                        .formatted(i, M1, i, i, i, i, i * (i + 1) / 2));
            }
            append(lake, "machine-state", """
                    {"specversion":"1.0","id":"m-1","type":"io.millwright.machine-state.v1","source":"opcua://plant-sim",
                     "subject":"%s","time":"2026-11-30T08:00:00Z","data":{"state":"DOWN","previousState":"RUNNING"}}""".formatted(M2));
            // an event type the lake has no column list for keeps its data as JSON text
            append(lake, "alert", """
                    {"specversion":"1.0","id":"a-1","type":"io.millwright.alert.v1","source":"millwright://alerting",
                     "time":"2026-11-30T08:00:00Z","data":{"rule":"hot","severity":"critical"}}""");
            // size-based rolls before the flush, written by the lake's writer thread
            await().atMost(Duration.ofSeconds(20)).until(() -> lake.filesWaiting() == 0 && lake.writtenFiles() >= 2);
            // nothing else rolls by time yet
            assertThat(lake.rollDue()).isEmpty();
            clock.advance(Duration.ofMinutes(6));
            assertThat(lake.rollDue()).as("time-based roll of every open partition").isNotEmpty();
            assertThat(lake.bufferedEvents()).isZero();
            append(lake, "machine-state", """
                    {"specversion":"1.0","id":"m-2","type":"io.millwright.machine-state.v1","source":"opcua://plant-sim",
                     "subject":"%s","time":"2026-11-30T08:05:00Z","data":{"state":"RUNNING","previousState":"DOWN"}}""".formatted(M2));
        } // close() flushes the last machine-state row: a graceful shutdown loses nothing

        assertThat(Files.isDirectory(root.resolve("type=signal/date=2026-11-29"))).isTrue();
        assertThat(Files.isDirectory(root.resolve("type=signal/date=2026-11-30"))).isTrue();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("only finished files, no temporary ones").allMatch(n -> n.startsWith("part-") && n.endsWith(".parquet"));
        }

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
            String lake = root.toString().replace("'", "''");
            String all = "read_parquet('" + lake + "/*/*/*.parquet', hive_partitioning = true, union_by_name = true)";
            assertThat(rows(sql, "SELECT type, count(*) FROM " + all + " GROUP BY type ORDER BY type"))
                    .containsExactly("alert|1", "machine-state|2", "production-count|10", "signal|103");
            String signals = "read_parquet('" + lake + "/type=signal/*/*.parquet', hive_partitioning = true)";
            // 20 + 0.5 i for i = 0..99: 100 * 20 + 0.5 * 4950 = 4475, plus the boolean's 1
            assertThat(rows(sql, "SELECT count(*), count(value), sum(value) FROM " + signals)).containsExactly("103|101|4476.0");
            assertThat(rows(sql, "SELECT date, count(*), sum(value) FROM " + signals + " GROUP BY date ORDER BY date"))
                    // i = 0..49 on the 29th: 1000 + 0.5 * 1225 = 1612.5; the rest on the 30th
                    .containsExactly("2026-11-29|50|1612.5", "2026-11-30|53|2863.5");
            assertThat(rows(sql, "SELECT value_text, quality FROM " + signals + " WHERE id IN ('s-text', 's-bad') ORDER BY id"))
                    .containsExactly("null|BAD", "1000011|GOOD");
            assertThat(rows(sql, "SELECT subject, count(*) FROM " + signals + " GROUP BY subject ORDER BY subject"))
                    .containsExactly(M1 + "|53", M2 + "|50");
            String counts = "read_parquet('" + lake + "/type=production-count/*/*.parquet', hive_partitioning = true)";
            assertThat(rows(sql, "SELECT count(*), sum(delta), max(total), min(correlationid), min(cetype) FROM " + counts))
                    .containsExactly("10|55|55|corr-1|io.millwright.production-count.v1");
            assertThat(rows(sql, "SELECT strftime(time, '%Y-%m-%dT%H:%M:%S'), strftime(receivedtime, '%S.%f') FROM " + counts
                    + " WHERE id = 'c-3'")).containsExactly("2026-11-30T08:00:03|03.500000");
            String states = "read_parquet('" + lake + "/type=machine-state/*/*.parquet', hive_partitioning = true)";
            assertThat(rows(sql, "SELECT state, previousstate FROM " + states + " ORDER BY time"))
                    .containsExactly("DOWN|RUNNING", "RUNNING|DOWN");
            String alerts = "read_parquet('" + lake + "/type=alert/*/*.parquet', hive_partitioning = true)";
            assertThat(rows(sql, "SELECT json_extract_string(data, '$.severity') FROM " + alerts)).containsExactly("critical");
        }
    }

    @Test
    void eventWithoutIdIsRejectedWithTheFieldNamed() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-bad"), "lake");
        try (ParquetLake lake = new ParquetLake(root, 1_000_000, Duration.ofMinutes(5), clock)) {
            assertThatThrownBy(() -> append(lake, "signal", "{\"type\":\"io.millwright.signal.v1\",\"data\":{}}"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
            assertThatThrownBy(() -> append(lake, "signal", "{\"id\":\"x\",\"time\":\"yesterday\",\"data\":{}}"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'time'").hasMessageContaining("x");
            assertThat(lake.rejectedEvents()).isEqualTo(2);
        }
    }

    @Test
    void unwritableLakeKeepsRowsThenWritesThemWhenTheDiskIsBack() throws Exception {
        Path base = Path.of(HubTestProperties.newDataDir("lake-ro"));
        Path root = base.resolve("lake");
        Files.writeString(root, "a file where the lake's folder should be");
        try (ParquetLake lake = new ParquetLake(root, 1_000_000, Duration.ofMinutes(5), clock)) {
            append(lake, "signal", signal("s-1", M1, Instant.parse("2026-11-30T10:00:00Z"), "temperature", "1.5"));
            assertThat(lake.flush()).isEmpty();
            assertThat(lake.lastFailure()).contains("type=signal");
            assertThat(lake.bufferedEvents()).isEqualTo(1);
            Files.delete(root);
            assertThat(lake.flush()).hasSize(1);
            assertThat(lake.lastFailure()).isNull();
            assertThat(lake.writtenEvents()).isEqualTo(1);
        }
    }

    private static List<String> rows(Statement sql, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= n; c++) {
                    if (c > 1) {
                        row.append('|');
                    }
                    row.append(rs.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static void append(ParquetLake lake, String type, String json) throws Exception {
        JsonNode event = JSON.readTree(json);
        lake.append(type, event, json.length());
    }

    private static String signal(String id, String asset, Instant time, String tag, String valueJson) {
        String value = valueJson == null ? "" : "\"value\":" + valueJson + ",";
        String quality = valueJson == null ? "BAD" : "GOOD";
        return """
                {"specversion":"1.0","id":"%s","type":"io.millwright.signal.v1","source":"opcua://plant-sim","subject":"%s",
                 "time":"%s","datacontenttype":"application/json","receivedtime":"%s","correlationid":"c",
                 "data":{"tag":"%s",%s"unit":"CEL","quality":"%s","statusCode":"0x00000000"}}"""
                .formatted(id, asset, time, time.plusMillis(5), tag, value, quality);
    }
}
