package io.millwright.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.testsupport.HubTestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert rules as integrators write them: for-duration, deduplication, clearing; a broken file names what to fix. */
class AlertEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void conditionHeldForItsDurationRaisesOnce_perKey_andTheClearConditionClears() throws Exception {
        AlertEngine engine = new AlertEngine(AlertRules.read(write("""
                rules:
                  - name: hot
                    on: anomaly
                    when: { field: data.score, above: 6 }
                    for: 10s
                    severity: warning
                    dedup: [subject, data.tag]
                    clear-when: { field: data.score, below: 2 }
                """)));
        assertThat(engine.evaluate("anomaly", anomaly("m1", "10:00:00", 7))).as("not yet held 10 s").isEmpty();
        assertThat(engine.evaluate("anomaly", anomaly("m1", "10:00:05", 8))).isEmpty();
        assertThat(engine.evaluate("anomaly", anomaly("m1", "10:00:06", 3))).as("the condition broke: starts again").isEmpty();
        assertThat(engine.evaluate("anomaly", anomaly("m1", "10:00:07", 7))).isEmpty();
        List<AlertEngine.Alert> raised = engine.evaluate("anomaly", anomaly("m1", "10:00:17", 7));
        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("RAISED");
            assertThat(a.key()).isEqualTo("m1 vibration");
            assertThat(a.severity()).isEqualTo("warning");
            assertThat(a.since()).isEqualTo(java.time.Instant.parse("2026-11-30T10:00:07Z"));
        });
        assertThat(engine.evaluate("anomaly", anomaly("m1", "10:00:30", 9))).as("deduplicated while open").isEmpty();
        assertThat(engine.evaluate("anomaly", anomaly("m2", "10:00:30", 9))).as("another key").isEmpty();
        assertThat(engine.evaluate("signal", anomaly("m1", "10:00:31", 1))).as("another event type").isEmpty();
        List<AlertEngine.Alert> cleared = engine.evaluate("anomaly", anomaly("m1", "10:00:40", 1));
        assertThat(cleared).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("CLEARED");
            assertThat(a.alertId()).isEqualTo(raised.get(0).alertId());
        });
        assertThat(engine.openAlerts()).isZero();
    }

    @Test
    void brokenRulesNameTheFileTheRuleAndTheField() throws Exception {
        Path noSeverity = write("""
                rules:
                  - name: loud
                    on: anomaly
                    when: { field: data.score, above: 6 }
                    clear-when: { field: data.score, below: 2 }
                """);
        assertThatThrownBy(() -> AlertRules.read(noSeverity)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(noSeverity.toString()).hasMessageContaining("'loud'").hasMessageContaining("'severity'");
        Path noCondition = write("""
                rules:
                  - name: vague
                    on: anomaly
                    when: { field: data.score }
                    severity: info
                    clear-when: { field: data.score, below: 2 }
                """);
        assertThatThrownBy(() -> AlertRules.read(noCondition)).hasMessageContaining("'vague'").hasMessageContaining("equals, above or below");
        Path typo = write("""
                rules:
                  - name: typo
                    on: anomaly
                    wen: { field: data.score, above: 6 }
                """);
        assertThatThrownBy(() -> AlertRules.read(typo)).hasMessageContaining(typo.toString()).hasMessageContaining("wen");
    }

    @Test
    void theShippedRulesFileIsValid() {
        assertThat(AlertRules.read(Path.of("analytics-bridge", "alert-rules.yaml")))
                .extracting(AlertRules.Rule::name).contains("maintenance-needed", "machine-down");
    }

    // "A bad rule ... the failure shows in health": a rules file the hub cannot use does not stop it;
    // no rule runs (the alerting route consumes nothing, so it can hold nothing up) and health
    // component 'alerting' is DOWN naming the file, the rule and the field.
    @Test
    void aBadRulesFileRunsNoRule_andShowsInHealthWithTheRuleAndField() throws Exception {
        Path file = write("""
                rules:
                  - name: too-hot
                    on: signal
                    when: { field: data.value, above: 80 }
                    for: soon
                    severity: warning
                    dedup: [subject]
                    clear-when: { field: data.value, below: 70 }
                """);
        try (io.millwright.testsupport.TestDatabase db = io.millwright.testsupport.TestDatabase.h2()) {
            AlertingProperties properties = new AlertingProperties(true, "millwright-alerting", file.toString(), "",
                    java.time.Duration.ofSeconds(5), 3, "analytics-bridge/alert-channels.yaml", List.of());
            AlertingConfiguration.LoadedRules rules = new AlertingConfiguration().alertRules(properties, new AlertStore(db.jdbc()));
            assertThat(rules.engine().rules()).as("no rule runs").isEmpty();
            var health = new AlertingHealthIndicator(rules.engine(), rules.failure(),
                    new AlertingConfiguration.LoadedChannels(List.of(), null)).health();
            assertThat(health.getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.DOWN);
            assertThat(String.valueOf(health.getDetails().get("rules"))).contains(file.toString()).contains("too-hot").contains("'for' 'soon'");
            // control: the shipped file is UP
            AlertingConfiguration.LoadedRules shipped = new AlertingConfiguration().alertRules(new AlertingProperties(true, "millwright-alerting",
                    "analytics-bridge/alert-rules.yaml", "", java.time.Duration.ofSeconds(5), 3, "analytics-bridge/alert-channels.yaml",
                    List.of()),
                    new AlertStore(db.jdbc()));
            assertThat(new AlertingHealthIndicator(shipped.engine(), shipped.failure(), new AlertingConfiguration.LoadedChannels(List.of(), null))
                    .health().getStatus()).isEqualTo(org.springframework.boot.actuate.health.Status.UP);
        }
    }

    private static JsonNode anomaly(String asset, String time, double score) throws Exception {
        return JSON.readTree("""
                {"id":"a-%s-%s","type":"io.millwright.anomaly.v1","subject":"%s","time":"2026-11-30T%sZ",
                 "data":{"tag":"vibration","score":%s}}""".formatted(asset, time, asset, time, score));
    }

    private static Path write(String yaml) throws Exception {
        Path file = Path.of(HubTestProperties.newDataDir("alert-rules"), "alert-rules.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
