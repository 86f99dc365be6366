package io.millwright.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Progress lines on stderr while the benchmark runs: which run, which phase, and about how long
 * the whole benchmark still needs (the planned length of the runs not yet done, less the time
 * the current one has already taken).
 */
final class Progress {

    private final int runs;
    private final Duration plannedPerRun;
    private int run;
    private String label = "";
    private long runStartedNanos = System.nanoTime();

    /** @param plannedPerRun a rough length of one run: start-up, warm-up, window and grace */
    Progress(int runs, Duration plannedPerRun) {
        this.runs = runs;
        this.plannedPerRun = plannedPerRun;
    }

    void startRun(String label) {
        run++;
        this.label = label;
        runStartedNanos = System.nanoTime();
        phase("starting", plannedPerRun);
    }

    /** @param phaseLength how long this phase should take, shown beside it */
    void phase(String phase, Duration phaseLength) {
        Duration inRun = Duration.ofNanos(System.nanoTime() - runStartedNanos);
        Duration left = plannedPerRun.multipliedBy(runs - run + 1L).minus(inRun);
        if (left.isNegative()) {
            left = phaseLength;
        }
        System.err.printf("[%s] run %d/%d %s: %s (~%d s; about %d min left in all)%n",
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS), run, runs, label, phase, phaseLength.toSeconds(),
                Math.max(1, Math.round(left.toSeconds() / 60.0)));
    }

    void note(String message) {
        System.err.printf("[%s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), message);
    }
}
