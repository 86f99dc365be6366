package io.millwright.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert state across a restart: an alert raised before it is still open after it (read back from
 * {@code alert_state}), is not raised a second time by the next matching event, and is cleared by
 * the clear condition; acknowledgement and silence are kept. Run on H2 ({@link AlertStateH2Test})
 * and PostgreSQL ({@link AlertStatePostgresIT}).
 */
abstract class AlertStateContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    abstract TestDatabase openDatabase();

    @TempDir Path dir;
    TestDatabase db;
    AlertStore store;
    List<AlertRules.Rule> rules;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        store = new AlertStore(db.jdbc());
        Path file = dir.resolve("alert-rules.yaml");
        Files.writeString(file, """
                rules:
                  - name: machine-down
                    on: machine-state
                    when: { field: data.state, equals: DOWN }
                    severity: warning
                    clear-when: { field: data.state, equals: RUNNING }
                """);
        rules = AlertRules.read(file);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void anOpenAlertSurvivesARestart_isNotRaisedTwice_andClearsAfterIt() throws Exception {
        AlertEngine before = new AlertEngine(rules, store.open().stream().map(AlertStore.StoredAlert::alert).toList());
        List<AlertEngine.Alert> raised = before.evaluate("machine-state", state("m1", "DOWN", "10:00:00"));
        assertThat(raised).singleElement().extracting(AlertEngine.Alert::status).isEqualTo("RAISED");
        store.raised(raised.get(0), Instant.parse("2026-11-30T10:00:01Z"));
        assertThat(before.evaluate("machine-state", state("m2", "RUNNING", "10:00:02"))).isEmpty();

        // the hub restarts: a new engine from the rules and the database
        AlertEngine after = new AlertEngine(rules, store.open().stream().map(AlertStore.StoredAlert::alert).toList());
        assertThat(after.openAlerts()).isEqualTo(1);
        assertThat(after.evaluate("machine-state", state("m1", "DOWN", "10:05:00"))).as("still open: deduplicated").isEmpty();
        List<AlertEngine.Alert> cleared = after.evaluate("machine-state", state("m1", "RUNNING", "10:06:00"));
        assertThat(cleared).singleElement().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo("CLEARED");
            assertThat(alert.alertId()).isEqualTo(raised.get(0).alertId());
            assertThat(alert.since()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        });
        store.cleared(cleared.get(0).alertId(), Instant.parse("2026-11-30T10:06:01Z"));
        assertThat(store.open()).isEmpty();
        AlertStore.StoredAlert kept = store.find(raised.get(0).alertId()).orElseThrow();
        assertThat(kept.status()).isEqualTo("CLEARED");
        assertThat(kept.clearedAt()).isEqualTo(Instant.parse("2026-11-30T10:06:01Z"));
        assertThat(store.latest(10)).extracting(AlertStore.StoredAlert::alertId).containsExactly(raised.get(0).alertId());
    }

    // A rule with 'for: 5m' whose condition began before a restart raises 5 min after that start,
    // not 5 min after the restart; a condition that stops holding leaves no timer behind.
    @Test
    void aPendingForTimerSurvivesARestart_andTheAlertRaisesFromTheOriginalStart() throws Exception {
        Path file = dir.resolve("alert-rules-for.yaml");
        Files.writeString(file, """
                rules:
                  - name: machine-down-long
                    on: machine-state
                    when: { field: data.state, equals: DOWN }
                    for: 5m
                    severity: critical
                    clear-when: { field: data.state, equals: RUNNING }
                """);
        List<AlertRules.Rule> slow = AlertRules.read(file);
        AlertEngine before = new AlertEngine(slow, List.of(), store.pending());
        assertThat(before.evaluate("machine-state", state("m1", "DOWN", "10:00:00"))).isEmpty();
        assertThat(before.evaluate("machine-state", state("m2", "DOWN", "10:01:00"))).isEmpty();
        assertThat(before.evaluate("machine-state", state("m1", "DOWN", "10:02:00"))).isEmpty();
        assertThat(before.evaluate("machine-state", state("m2", "RUNNING", "10:03:00"))).as("m2 back before its 5 min").isEmpty();
        store.pending(before.takePendingChanges());
        assertThat(store.pending()).singleElement().satisfies(timer -> {
            assertThat(timer.key()).isEqualTo("m1");
            assertThat(timer.since()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        });

        // the hub restarts at 10:04: the next DOWN of m1 at 10:05 completes the 5 min begun at 10:00
        AlertEngine after = new AlertEngine(slow, store.open().stream().map(AlertStore.StoredAlert::alert).toList(), store.pending());
        List<AlertEngine.Alert> raised = after.evaluate("machine-state", state("m1", "DOWN", "10:05:00"));
        assertThat(raised).singleElement().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo("RAISED");
            assertThat(alert.since()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        });
        store.pending(after.takePendingChanges());
        assertThat(store.pending()).as("raised: no timer left").isEmpty();

        // control: without the kept timer the same event starts a new one and raises nothing
        AlertEngine forgetful = new AlertEngine(slow, List.of(), List.of());
        assertThat(forgetful.evaluate("machine-state", state("m1", "DOWN", "10:05:00"))).isEmpty();
    }

    @Test
    void acknowledgeAndSilenceAreKept_theSilenceCoversTheRuleAndKeyUntilItEnds() {
        AlertEngine.Alert alert = new AlertEngine.Alert("A-7", "machine-down", "RAISED", "warning", "m7", "machine-down (warning) for m7",
                Instant.parse("2026-11-30T10:00:00Z"), "ev-7");
        store.raised(alert, Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(store.acknowledge("A-7", "operator", Instant.parse("2026-11-30T10:01:00Z"))).isTrue();
        assertThat(store.acknowledge("no-such-alert", "operator", Instant.parse("2026-11-30T10:01:00Z"))).isFalse();
        assertThat(store.silence("A-7", "operator", Instant.parse("2026-11-30T12:01:00Z"), Instant.parse("2026-11-30T10:01:00Z"))).isTrue();

        AlertStore.StoredAlert kept = store.find("A-7").orElseThrow();
        assertThat(kept.acknowledgedBy()).isEqualTo("operator");
        assertThat(kept.acknowledgedAt()).isEqualTo(Instant.parse("2026-11-30T10:01:00Z"));
        assertThat(kept.silencedUntil()).isEqualTo(Instant.parse("2026-11-30T12:01:00Z"));
        assertThat(store.silenced("machine-down", "m7", Instant.parse("2026-11-30T12:00:59Z"))).isTrue();
        assertThat(store.silenced("machine-down", "m7", Instant.parse("2026-11-30T12:01:00Z"))).as("ended").isFalse();
        assertThat(store.silenced("machine-down", "m8", Instant.parse("2026-11-30T11:00:00Z"))).as("another key").isFalse();
    }

    private static JsonNode state(String subject, String state, String time) throws Exception {
        return JSON.readTree("""
                {"id":"%s-%s","type":"io.millwright.machine-state.v1","subject":"%s","time":"2026-11-30T%sZ","data":{"state":"%s"}}"""
                .formatted(subject, time, subject, time, state));
    }
}
