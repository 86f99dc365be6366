package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StartupCompilerPriorityTest {

    @Test
    void givesTheCompilerItsPriorityBackOnlyWhereItMay() {
        // root may; so may a process whose RLIMIT_NICE reaches the nice value to go back to (20 - nice)
        assertThat(StartupCompilerPriority.mayRaiseBackTo(0, OptionalInt.of(0), OptionalInt.of(0))).isTrue();
        assertThat(StartupCompilerPriority.mayRaiseBackTo(0, OptionalInt.of(1000), OptionalInt.of(20))).isTrue();
        assertThat(StartupCompilerPriority.mayRaiseBackTo(0, OptionalInt.of(1000), OptionalInt.of(0))).isFalse();
        assertThat(StartupCompilerPriority.mayRaiseBackTo(5, OptionalInt.of(1000), OptionalInt.of(15))).isTrue();
        assertThat(StartupCompilerPriority.mayRaiseBackTo(0, OptionalInt.empty(), OptionalInt.empty())).isFalse();
    }

    @Test
    void readsTheNiceLimitAndTheEffectiveUserFromProc() {
        String limits = """
                Limit                     Soft Limit           Hard Limit           Units
                Max open files            1048576              1048576              files
                Max nice priority         20                   40
                Max realtime priority     0                    0
                """;
        assertThat(StartupCompilerPriority.niceLimit(limits)).hasValue(20);
        assertThat(StartupCompilerPriority.niceLimit("Max nice priority         unlimited            unlimited\n"))
                .hasValue(40);
        assertThat(StartupCompilerPriority.niceLimit("Max open files 1024 1024 files\n")).isEmpty();
        assertThat(StartupCompilerPriority.effectiveUid("Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n"))
                .hasValue(0);
        assertThat(StartupCompilerPriority.effectiveUid("Name:\tjava\n")).isEmpty();
    }

    /** This JVM's own C2 thread, lowered and given back, where Linux lets the test's user do both (CI runs as root). */
    @Test
    void lowersThisJvmsC2ThreadUntilRestored() {
        List<Integer> c2 = StartupCompilerPriority.c2Threads();
        assumeTrue(!c2.isEmpty(), "a Linux JVM with a C2 compiler thread");
        int before = StartupCompilerPriority.nice(c2.get(0)).orElseThrow();

        StartupCompilerPriority priority = StartupCompilerPriority.lowerWhileStarting();
        if (priority.lowered().isEmpty()) {
            // not allowed to give it back (not root, RLIMIT_NICE too low): it must keep its priority
            assertThat(StartupCompilerPriority.nice(c2.get(0))).hasValue(before);
            return;
        }
        try {
            assertThat(priority.lowered()).containsExactlyInAnyOrderElementsOf(c2);
            assertThat(StartupCompilerPriority.nice(c2.get(0))).hasValue(StartupCompilerPriority.STARTUP_NICE);
        } finally {
            priority.restore(); // the rest of the test run compiles at normal priority whatever happened above
        }

        assertThat(StartupCompilerPriority.nice(c2.get(0))).hasValue(before);
        assertThat(priority.lowered()).isEmpty();
    }
}
