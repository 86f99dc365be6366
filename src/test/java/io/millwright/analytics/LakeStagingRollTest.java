package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.SettableClock;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * The staged lake's rolls: by size, by time, at a graceful stop, and after an unclean stop, when the next start
 * rolls what the stopped run had written of its staging file (a line cut by the stop dropped, counted) and
 * writes no row twice. Files, rows and ids are read back from the Parquet files.
 */
class LakeStagingRollTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));

    @Test
    void sizeRollWritesSeveralFilesWithEveryRowOnce() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-staged-size"), "lake");
        try (ParquetLake lake = lake(root, 20_000)) {
            for (int i = 0; i < 200; i++) {
                append(lake, record("s-" + i, i));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(parquetFiles(root)).as("rolled by size while appending").hasSizeGreaterThanOrEqualTo(4));
        }
        assertThat(ids(root)).hasSize(200).doesNotHaveDuplicates().contains("s-0", "s-199");
        assertThat(staging(root)).isEmpty();
    }

    @Test
    void timeRollWritesWhatIsDueAndLeavesTheRest() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-staged-time"), "lake");
        try (ParquetLake lake = lake(root, 64L << 20)) {
            for (int i = 0; i < 10; i++) {
                append(lake, record("s-" + i, i));
            }
            assertThat(lake.rollDue()).isEmpty();
            assertThat(lake.bufferedEvents()).isEqualTo(10);
            assertThat(parquetFiles(root)).isEmpty();
            clock.advance(Duration.ofMinutes(5));
            assertThat(lake.rollDue()).hasSize(1);
            assertThat(ids(root)).hasSize(10);
            assertThat(staging(root)).isEmpty();
            append(lake, record("s-10", 10)); // a new partition buffer after the roll
            assertThat(lake.bufferedEvents()).isEqualTo(1);
        }
        assertThat(ids(root)).hasSize(11).doesNotHaveDuplicates();
        assertThat(parquetFiles(root)).hasSize(2);
    }

    @Test
    void gracefulStopMidFileWritesEveryStagedRow() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-staged-stop"), "lake");
        try (ParquetLake lake = lake(root, 64L << 20)) {
            for (int i = 0; i < 50; i++) {
                append(lake, record("s-" + i, i));
            }
        }
        assertThat(ids(root)).hasSize(50).doesNotHaveDuplicates();
        assertThat(staging(root)).isEmpty();
    }

    @Test
    void nextStartRollsWhatAnUncleanStopLeftOnDiskOnce() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-staged-crash"), "lake");
        List<String> appended = new ArrayList<>();
        ParquetLake crashed = lake(root, 64L << 20);
        for (int i = 0; i < 600; i++) { // ~270 KB: several 64 KB chunks reach the file, the last stays in memory
            append(crashed, record("s-" + i, i));
            appended.add("s-" + i);
        }
        // no close(): the process is killed; what its chunks wrote is on disk, the last chunk is not
        List<Path> left = staging(root);
        assertThat(left).hasSize(1);
        byte[] bytes = Files.readAllBytes(left.get(0));
        long lines = count(bytes);
        assertThat(lines).isBetween(300L, 599L);
        // and the kill cut the file in the middle of its last line
        try (FileChannel file = FileChannel.open(left.get(0), StandardOpenOption.WRITE)) {
            file.truncate(bytes.length - 40);
        }

        try (ParquetLake restarted = lake(root, 64L << 20)) {
            assertThat(restarted.flush()).hasSize(1);
            assertThat(restarted.droppedEvents()).as("the cut line").isEqualTo(1);
            assertThat(restarted.writtenEvents()).isEqualTo(lines - 1);
        }
        List<String> ids = ids(root);
        assertThat(ids).hasSize((int) lines - 1).doesNotHaveDuplicates();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(appended.subList(0, (int) lines - 1));
        assertThat(staging(root)).isEmpty();

        try (ParquetLake again = lake(root, 64L << 20)) {
            assertThat(again.flush()).as("nothing left to roll twice").isEmpty();
        }
        assertThat(ids(root)).hasSize((int) lines - 1);
    }

    private ParquetLake lake(Path root, long rollSize) {
        return new ParquetLake(root, new LocalLakeStore(root.toAbsolutePath().normalize()), rollSize, Duration.ofMinutes(5), clock, true);
    }

    private static String record(String id, int i) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://plant-sim\","
                + "\"subject\":\"acme/springfield/assembly/line-1/machine-" + i % 7 + "\",\"time\":\"2026-11-30T10:00:00." + (100 + i % 900)
                + "Z\",\"datacontenttype\":\"application/json\",\"receivedtime\":\"2026-11-30T10:00:01Z\",\"correlationid\":\"c-" + i
                + "\",\"data\":{\"tag\":\"ns=3;s=M1.T" + i % 13 + "\",\"name\":\"temperature\",\"value\":" + (20 + i * 0.25)
                + ",\"unit\":\"CEL\",\"quality\":\"GOOD\",\"statusCode\":\"0x00000000\"}}";
    }

    private static void append(ParquetLake lake, String record) throws Exception {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        SignalEvent signal = SignalEvent.read(JSON.getFactory(), bytes);
        assertThat(signal).isNotNull();
        lake.append(signal, bytes, bytes.length);
    }

    private static long count(byte[] bytes) {
        long lines = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static List<Path> staging(Path root) throws Exception {
        Path folder = root.resolve(".staging");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    private static List<Path> parquetFiles(Path root) throws Exception {
        Path folder = root.resolve("type=signal");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<String> ids(Path root) throws Exception {
        List<String> ids = new ArrayList<>();
        if (parquetFiles(root).isEmpty()) {
            return ids;
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT id FROM read_parquet('" + root.toString().replace("'", "''")
                        + "/type=signal/*/*.parquet')")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
