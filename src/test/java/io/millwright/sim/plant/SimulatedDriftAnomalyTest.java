package io.millwright.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.analytics.AnomalyDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulated plant's breakdowns against the analytics anomaly detector with its default
 * settings: a machine whose vibration climbs gets a maintenance request before it goes down, and
 * the request clears after the repair. Simulated time (500 ms ticks), fixed seeds, no server.
 */
class SimulatedDriftAnomalyTest {

    static final AnomalyDetector.Settings DEFAULTS =
            new AnomalyDetector.Settings(0.05, 4.0, 10, 0.05, 0.1, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10));

    record Outcome(int breakdowns, int warnedBefore, List<Double> leadSeconds, int requests, int requestsWithoutBreakdown, int cleared) {}

    // 12 machines x 4,000 ticks (33 simulated minutes each) gave 198 breakdowns, 195 warned, no false
    // alarm; the leads are in the test's output. The 3 misses: two machines that began to degrade in their first
    // seconds, before a running baseline existed, and the next breakdown of one of them, whose
    // baseline had been learned during that drift (docs/analytics.md, "Limits").
    @Test
    void vibrationDriftsAreWarnedBeforeTheBreakdown_withoutFalseAlarms_andRequestsClearAfterTheRepair() {
        Outcome outcome = simulate(12, 4_000);
        System.out.println("Simulated drift outcome: " + outcome);
        assertThat(outcome.breakdowns()).as("the seeds give breakdowns to detect").isGreaterThanOrEqualTo(100);
        assertThat((double) outcome.warnedBefore() / outcome.breakdowns())
                .as("share of breakdowns with a maintenance request before them: " + outcome)
                .isGreaterThanOrEqualTo(0.95);
        assertThat(outcome.leadSeconds().stream().filter(lead -> lead >= 2.0).count())
                .as("breakdowns warned at least 2 s ahead").isGreaterThanOrEqualTo(Math.round(0.95 * outcome.breakdowns()));
        assertThat(outcome.requestsWithoutBreakdown()).as("false alarms: requests cleared without a breakdown").isZero();
        // every request clears once the repaired machine runs smoothly; at most one per machine is still open at the end
        assertThat(outcome.cleared()).as("requests cleared once the repaired machine runs").isGreaterThanOrEqualTo(outcome.requests() - 12);
    }

    /**
     * A breakdown is warned when a maintenance request is open as the machine goes down: raised
     * for this drift, or still open from an earlier one that no smooth running cleared (the lead
     * is counted from when it was raised). A request cleared with no breakdown since it was raised
     * is a false alarm.
     */
    static Outcome simulate(int machines, int ticks) {
        int breakdowns = 0;
        int warned = 0;
        int falseAlarms = 0;
        int cleared = 0;
        int requests = 0;
        List<Double> leads = new ArrayList<>();
        for (int m = 1; m <= machines; m++) {
            SimulatedMachine machine = new SimulatedMachine(1, m, "100001" + m, "0010", 4242L + m);
            AnomalyDetector detector = new AnomalyDetector(DEFAULTS);
            String asset = "line-1/machine-" + m;
            Instant start = Instant.parse("2026-11-30T06:00:00Z");
            String previousState = null;
            Instant requestAt = null;
            boolean brokeDownSinceRequest = false;
            for (int t = 0; t < ticks; t++) {
                machine.advance();
                MachineSnapshot s = machine.snapshot();
                Instant now = start.plusMillis(500L * t);
                if (!s.state().equals(previousState)) {
                    if (s.state().equals("down")) {
                        breakdowns++;
                        if (detector.requestOpen(asset, "vibration")) {
                            warned++;
                            leads.add(Duration.between(requestAt, now).toMillis() / 1000.0);
                            brokeDownSinceRequest = true;
                        }
                    }
                    detector.stateChanged(asset, s.state(), now);
                    previousState = s.state();
                }
                AnomalyDetector.Verdict verdict = detector.observe(asset, "vibration", now, s.vibration());
                if (verdict.maintenanceRequested()) {
                    requests++;
                    requestAt = now;
                    brokeDownSinceRequest = false;
                }
                if (verdict.cleared()) {
                    cleared++;
                    if (!brokeDownSinceRequest) {
                        falseAlarms++;
                    }
                }
            }
        }
        return new Outcome(breakdowns, warned, leads, requests, falseAlarms, cleared);
    }
}
