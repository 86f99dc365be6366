package io.millwright.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.testsupport.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The alert gauges a Prometheus scrape reads: open alerts by severity, and those nobody acknowledged. */
class AlertMetricsTest {

    final TestDatabase db = TestDatabase.h2();
    final AlertStore store = new AlertStore(db.jdbc());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void gaugesFollowTheStore_raisedAcknowledgedAndCleared() {
        new AlertMetrics(store).bindTo(registry);
        assertThat(open("critical")).isZero();

        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        store.raised(new AlertEngine.Alert("A-1", "machine-down", "RAISED", "critical", "m1", "machine-down for m1", at, "e1"), at);
        store.raised(new AlertEngine.Alert("A-2", "machine-down", "RAISED", "critical", "m2", "machine-down for m2", at, "e2"), at);
        store.raised(new AlertEngine.Alert("A-3", "hot", "RAISED", "warning", "m3", "hot m3", at, "e3"), at);
        assertThat(open("critical")).isEqualTo(2);
        assertThat(open("warning")).isEqualTo(1);
        assertThat(open("info")).isZero();
        assertThat(unacknowledged()).isEqualTo(3);

        store.acknowledge("A-1", "operator", at.plusSeconds(60));
        store.cleared("A-2", at.plusSeconds(120));
        assertThat(open("critical")).as("A-1 still open, A-2 cleared").isEqualTo(1);
        assertThat(unacknowledged()).as("A-3 only").isEqualTo(1);
    }

    private double open(String severity) {
        return registry.get("millwright.alerts.open").tag("severity", severity).gauge().value();
    }

    private double unacknowledged() {
        return registry.get("millwright.alerts.unacknowledged").gauge().value();
    }
}
