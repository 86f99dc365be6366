package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals read flat ({@link SignalEvent}) give the lake exactly the rows their JSON trees give, and
 * what the flat form does not keep falls back to the tree: the side routes' answers do not depend
 * on which of the two read a record.
 */
class SignalEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://plant-sim\","
            + "\"subject\":\"acme/springfield/assembly/line-1/machine-1\",";

    /** Plain signals as the hub and other writers put them: each is read flat. */
    private static final List<String> PLAIN = List.of(
            HEAD.formatted("d") + "\"time\":\"2026-11-30T10:00:00.123456Z\",\"receivedtime\":\"2026-11-30T10:00:00.2Z\",\"correlationid\":\"c\","
                    + "\"dataschema\":\"x\",\"data\":{\"tag\":\"ns=3;s=M1.Temperature\",\"name\":\"temperature\",\"value\":61.25,\"unit\":\"CEL\","
                    + "\"quality\":\"GOOD\",\"statusCode\":\"0x00000000\"}}",
            HEAD.formatted("i") + "\"time\":\"2026-11-30T23:59:59.999Z\",\"data\":{\"tag\":\"ns=3;s=M1.Count\",\"value\":42,\"quality\":\"GOOD\"}}",
            HEAD.formatted("l") + "\"time\":\"2026-11-30T10:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Ticks\",\"value\":9007199254740993,\"quality\":\"GOOD\"}}",
            HEAD.formatted("e") + "\"time\":\"2026-11-30T10:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Tiny\",\"value\":1.0E-7,\"quality\":\"GOOD\"}}",
            HEAD.formatted("b") + "\"time\":\"2026-11-30T10:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Door\",\"value\":true,\"quality\":\"GOOD\"}}",
            HEAD.formatted("s") + "\"time\":\"2026-11-30T10:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Order\",\"value\":\"1000011\",\"quality\":\"GOOD\"}}",
            HEAD.formatted("n") + "\"time\":\"2026-11-30T10:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Temperature\",\"value\":null,\"quality\":\"BAD\"}}",
            HEAD.formatted("r") + "\"receivedtime\":\"2026-12-01T00:00:00Z\",\"data\":{\"tag\":\"ns=3;s=M1.Speed\",\"value\":3,\"quality\":\"GOOD\","
                    + "\"extra\":{\"nested\":[1,2]}}}",
            "{\"data\":{\"value\":7,\"tag\":\"t\"},\"id\":\"o\",\"time\":\"2026-11-30T10:00:00Z\",\"type\":\"io.millwright.signal.v1\"}");

    /** What the flat form does not keep: read as a tree. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"x\",\"type\":\"io.millwright.machine-state.v1\",\"data\":{\"state\":\"DOWN\"}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"time\":\"yesterday\",\"data\":{\"value\":1}}",
            "{\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":1}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":{\"x\":1}}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":123456789012345678901234567890}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"subject\":5,\"data\":{\"value\":1}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"tag\":[\"a\"],\"value\":1}}",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\"}",
            "[1,2]",
            "not json",
            "{\"id\":\"x\",\"type\":\"io.millwright.signal.v1\",\"data\":{\"value\":1}} trailing"})
    void whatTheFlatFormDoesNotKeepIsLeftToTheTree(String record) {
        assertThat(SignalEvent.read(JSON.getFactory(), record.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void flatSignalsWriteTheSameLakeRowsAsTheirJson() throws Exception {
        Path base = Path.of(HubTestProperties.newDataDir("lake-flat"));
        Path fromTrees = base.resolve("trees");
        Path flat = base.resolve("flat");
        try (ParquetLake trees = new ParquetLake(fromTrees, 1_000_000, Duration.ofMinutes(5), Clock.systemUTC());
                ParquetLake flats = new ParquetLake(flat, 1_000_000, Duration.ofMinutes(5), Clock.systemUTC())) {
            for (String record : PLAIN) {
                byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
                SignalEvent signal = SignalEvent.read(JSON.getFactory(), bytes);
                assertThat(signal).as("read flat: %s", record).isNotNull();
                flats.append(signal, bytes.length);
                trees.append("signal", JSON.readTree(bytes), bytes.length);
            }
        }
        List<String> expected = rows(fromTrees);
        assertThat(expected).hasSize(PLAIN.size()); // control: the tree's rows are there to compare with
        assertThat(rows(flat)).containsExactlyElementsOf(expected);
    }

    /** Every column of every signal row with its partition date, by id. */
    private static List<String> rows(Path lake) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = sql.executeQuery("SELECT * FROM read_parquet('" + lake.toString().replace("'", "''")
                    + "/type=signal/*/*.parquet', hive_partitioning = true) ORDER BY id")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        row.append(rs.getMetaData().getColumnName(c)).append('=').append(rs.getString(c)).append('|');
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }
}
