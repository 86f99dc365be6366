package io.millwright.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's breakdown of a window's CPU by kind of thread, as its notes print it. */
class ProcessStatsTest {

    @Test
    void threadsAreKindedByNameAndNiceValue() {
        assertThat(ProcessStats.windowKind("C2 CompilerThre", 0)).isEqualTo("JIT");
        assertThat(ProcessStats.windowKind("C1 CompilerThre", 19)).isEqualTo("JIT");
        assertThat(ProcessStats.windowKind("GC Thread#0", 0)).isEqualTo("GC");
        assertThat(ProcessStats.windowKind("G1 Conc#0", 0)).isEqualTo("GC");
        assertThat(ProcessStats.windowKind("Camel (camel-1)", 10)).isEqualTo("side routes");
        assertThat(ProcessStats.windowKind("Camel (camel-1)", 0)).isEqualTo("the rest");
        assertThat(ProcessStats.windowKind("opcua-plant-wor", 0)).isEqualTo("the rest");
    }

    @Test
    void perChangeFiguresSubtractEachThreadsStartAndCountNewThreadsFromZero() {
        Map<String, ProcessStats.ThreadCpu> start = Map.of(
                "101", new ProcessStats.ThreadCpu("the rest", 5_000_000_000L),
                "102", new ProcessStats.ThreadCpu("JIT", 1_000_000_000L),
                "103", new ProcessStats.ThreadCpu("side routes", 2_000_000_000L)); // ends in the window
        Map<String, ProcessStats.ThreadCpu> end = Map.of(
                "101", new ProcessStats.ThreadCpu("the rest", 8_000_000_000L),
                "102", new ProcessStats.ThreadCpu("JIT", 1_500_000_000L),
                "104", new ProcessStats.ThreadCpu("side routes", 1_000_000_000L)); // started in the window

        Map<String, Double> micros = ProcessStats.cpuMicrosPerChangeByKind(start, end, 1_000_000);

        assertThat(micros).containsOnlyKeys("the rest", "side routes", "JIT", "GC");
        assertThat(micros.get("the rest")).isCloseTo(3.0, within(1e-9));
        assertThat(micros.get("JIT")).isCloseTo(0.5, within(1e-9));
        assertThat(micros.get("side routes")).isCloseTo(1.0, within(1e-9));
        assertThat(micros.get("GC")).isZero();
        assertThat(ProcessStats.cpuMicrosPerChangeByKind(start, end, 0).values()).containsOnly(0.0);
    }

    @Test
    void thisJvmsThreadsAreReadFromProc() {
        long self = ProcessHandle.current().pid();

        Map<String, ProcessStats.ThreadCpu> threads = ProcessStats.cpuByThread(self);
        Map<String, Double> byKind = ProcessStats.cpuSecondsByThreadKind(self);

        assertThat(threads).isNotEmpty();
        assertThat(threads.values()).extracting(ProcessStats.ThreadCpu::kind).contains("JIT", "the rest");
        assertThat(threads.values()).allSatisfy(thread -> assertThat(thread.cpuNanos()).isNotNegative());
        assertThat(byKind).containsOnlyKeys("main", "JIT", "GC", "other");
        // every thread's CPU is in the process's total, which also holds the threads that ended
        double seconds = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(seconds).isPositive().isLessThanOrEqualTo(ProcessStats.of(self).cpuNanos() / 1e9 + 0.05);
    }
}
