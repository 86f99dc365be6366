package io.millwright.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The machine model on its own, tick by tick, without a server. */
class SimulatedMachineTest {

    // Predictive maintenance needs a warning: the vibration must climb before a breakdown.
    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 2024})
    void vibrationClimbsToDamageZone_beforeMachineGoesDown(long seed) {
        var machine = new SimulatedMachine(1, 1, "1000011", "0010", seed);
        List<MachineSnapshot> history = new ArrayList<>();
        MachineSnapshot previous = machine.snapshot();
        for (int tick = 0; tick < 200_000; tick++) {
            machine.advance();
            MachineSnapshot current = machine.snapshot();
            if ("down".equals(current.state()) && "running".equals(previous.state())) {
                List<MachineSnapshot> lastTen = history.subList(history.size() - 10, history.size());
                for (int i = 1; i < lastTen.size(); i++) {
                    assertThat(lastTen.get(i).vibration()).isGreaterThan(lastTen.get(i - 1).vibration());
                }
                assertThat(previous.vibration()).isGreaterThanOrEqualTo(SimulatedMachine.VIBRATION_DAMAGE);
                assertThat(lastTen.get(0).vibration()).isLessThan(SimulatedMachine.VIBRATION_DAMAGE - 1);
                return;
            }
            history.add(current);
            previous = current;
        }
        throw new AssertionError("machine with seed " + seed + " never went down in 200000 ticks");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42})
    void machineRunsMostOfTheTime_andCountsOnlyWhileRunning(long seed) {
        var machine = new SimulatedMachine(2, 3, "1000023", "0010", seed);
        int running = 0;
        int ticks = 10_000;
        MachineSnapshot previous = machine.snapshot();
        for (int tick = 0; tick < ticks; tick++) {
            machine.advance();
            MachineSnapshot current = machine.snapshot();
            if (current.goodCount() > previous.goodCount() || current.scrapCount() > previous.scrapCount()) {
                assertThat(current.state()).isEqualTo("running");
            }
            if ("running".equals(current.state())) {
                running++;
            }
            assertThat(current.temperature()).isBetween(10.0, 90.0);
            previous = current;
        }
        System.out.printf("seed=%d running=%.1f%% good=%d scrap=%d%n",
                seed, 100.0 * running / ticks, previous.goodCount(), previous.scrapCount());
        assertThat((double) running / ticks).isBetween(0.6, 0.95);
        assertThat(previous.scrapCount()).isPositive().isLessThan(previous.goodCount() / 10);
    }
}
