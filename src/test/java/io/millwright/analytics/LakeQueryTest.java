package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** SQL over the lake: views per event type, read-only, row- and time-limited. */
class LakeQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static Path base;
    static Path root;

    @BeforeAll
    static void writeLake() throws Exception {
        base = Path.of(HubTestProperties.newDataDir("lake-query"));
        root = base.resolve("lake");
        try (ParquetLake lake = new ParquetLake(root, 1_000_000, Duration.ofMinutes(5), Clock.systemUTC())) {
            for (int i = 1; i <= 30; i++) {
                String json = """
                        {"specversion":"1.0","id":"s-%d","type":"io.millwright.signal.v1","source":"opcua://plant-sim",
                         "subject":"line-1/machine-%d","time":"2026-11-30T10:00:%02dZ","data":{"tag":"t","value":%d,"quality":"GOOD"}}"""
                        .formatted(i, i % 3, i, i);
                lake.append("signal", JSON.readTree(json), json.length());
            }
            String state = """
                    {"specversion":"1.0","id":"m-1","type":"io.millwright.machine-state.v1","source":"opcua://plant-sim",
                     "subject":"line-1/machine-1","time":"2026-11-30T10:00:00Z","data":{"state":"DOWN"}}""";
            lake.append("machine-state", JSON.readTree(state), state.length());
        }
        Files.writeString(base.resolve("secret.csv"), "a,b\n1,2\n");
    }

    private static LakeQuery query(Duration timeout, int maxRows) {
        return new LakeQuery(root, new AnalyticsProperties.Query(timeout, maxRows, DataSize.ofMegabytes(128)));
    }

    @Test
    void viewsPerEventTypeAnswerWithExactFigures() {
        LakeQuery.Result result = query(Duration.ofSeconds(30), 100)
                .query("SELECT subject, count(*) AS n, sum(value) AS total FROM signal GROUP BY subject ORDER BY subject", null);
        assertThat(result.columns()).extracting(LakeQuery.Column::name).containsExactly("subject", "n", "total");
        // i % 3 == 0: 3+6+...+30 = 165; == 1: 1+4+...+28 = 145; == 2: 2+5+...+29 = 155
        assertThat(result.rows()).containsExactly(
                List.of("line-1/machine-0", 10L, 165.0), List.of("line-1/machine-1", 10L, 145.0), List.of("line-1/machine-2", 10L, 155.0));
        assertThat(result.truncated()).isFalse();

        LakeQuery.Result all = query(Duration.ofSeconds(30), 100)
                .query("SELECT type, count(*) FROM lake GROUP BY type ORDER BY type", null);
        assertThat(all.rows()).containsExactly(List.of("machine-state", 1L), List.of("signal", 30L));
        LakeQuery.Result states = query(Duration.ofSeconds(30), 100).query("SELECT state, time FROM machine_state", null);
        assertThat(states.rows()).containsExactly(List.of("DOWN", "2026-11-30T10:00:00Z"));
    }

    @Test
    void rowsAreCutAtTheLimitAndTheAnswerSaysSo() {
        LakeQuery.Result result = query(Duration.ofSeconds(30), 10).query("SELECT id FROM signal ORDER BY time", 500);
        assertThat(result.rowCount()).isEqualTo(10);
        assertThat(result.truncated()).isTrue();
        assertThat(query(Duration.ofSeconds(30), 100).query("SELECT id FROM signal", 5).rows()).hasSize(5);
    }

    @Test
    void onlyOneSelectRuns_andNoFileOutsideTheLakeIsRead() {
        LakeQuery lake = query(Duration.ofSeconds(30), 100);
        String target = base.resolve("copied.parquet").toString();
        assertThatThrownBy(() -> lake.query("COPY (SELECT * FROM signal) TO '" + target + "'", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class).hasMessageContaining("SELECT");
        assertThatThrownBy(() -> lake.query("SELECT 1; DROP VIEW signal", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class);
        assertThatThrownBy(() -> lake.query("SET enable_external_access = true", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class);
        assertThatThrownBy(() -> lake.query("SELECT * FROM read_csv('" + base.resolve("secret.csv") + "')", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class).hasMessageContaining("failed");
        assertThatThrownBy(() -> lake.query("SELECT * FROM nowhere", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class).hasMessageContaining("nowhere");
        assertThatThrownBy(() -> lake.query(" ", null))
                .isInstanceOf(LakeQuery.InvalidQueryException.class).hasMessageContaining("'sql'");
        assertThat(Files.exists(base.resolve("copied.parquet"))).isFalse();
    }

    @Test
    void queryRunningPastTheTimeoutIsCancelled() {
        LakeQuery lake = query(Duration.ofMillis(300), 100);
        assertThatThrownBy(() -> lake.query(
                "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b", null))
                .isInstanceOf(LakeQuery.QueryTimeoutException.class).hasMessageContaining("millwright.analytics.query.timeout");
    }
}
