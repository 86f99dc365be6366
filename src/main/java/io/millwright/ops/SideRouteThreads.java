package io.millwright.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry first at the operating system's scheduler: the threads the side routes run on (the
 * analytics feed's Kafka consumer, which also writes the lake's Parquet files and merges the
 * rollups) get a higher nice value, so that on a busy machine Linux gives the CPU to the telemetry
 * path's threads first and to the side routes what is left. {@link TelemetryPressure}'s wait only
 * acts between two polls; a Parquet file being written or a rollup merge already running holds a
 * core for a second or more, and that is where the telemetry's latency peaks came from
 * (docs/benchmarks.md).
 *
 * <p>Linux schedules each Java thread as a task of its own with its own nice value; the JVM gives
 * no way to set it ({@code Thread.setPriority} is ignored on Linux unless the JVM runs as root with
 * {@code -XX:ThreadPriorityPolicy=1}). A thread finds its task id in {@code /proc/thread-self} and
 * {@code renice}s itself, once; raising one's own nice value needs no privilege. Where that is not
 * possible (not Linux, no {@code renice}) the side routes run at normal priority and one log line
 * says why.
 */
public final class SideRouteThreads {

    private static final Logger log = LoggerFactory.getLogger(SideRouteThreads.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private final int nice;
    private final Set<Long> lowered = ConcurrentHashMap.newKeySet();
    private volatile boolean unsupportedLogged;

    /** @param nice the nice value for side-route threads, 0 (leave them as they are) to 19 (lowest priority) */
    public SideRouteThreads(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("millwright.side-routes.nice must be between 0 and 19, was " + nice);
        }
        this.nice = nice;
    }

    /** Lowers the calling thread's priority to the configured nice value, once per thread. */
    public void lowerCurrentThread() {
        if (nice == 0 || !lowered.add(Thread.currentThread().getId())) {
            return;
        }
        OptionalInt task = currentTaskId();
        if (task.isEmpty()) {
            logUnsupported("no /proc/thread-self (not Linux)");
            return;
        }
        String refused = renice(task.getAsInt(), nice);
        if (refused != null) {
            logUnsupported(refused);
            return;
        }
        log.info("Side route thread '{}' runs at nice {} so the telemetry path gets the CPU first (task {})",
                Thread.currentThread().getName(), nice, task.getAsInt());
    }

    /**
     * Sets one of this process's threads (a Linux task) to a nice value with {@code renice}; null when done,
     * else why not. Raising a nice value needs no privilege; lowering it needs root or {@code RLIMIT_NICE}.
     */
    static String renice(int task, int nice) {
        try {
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", Integer.toString(task))
                    .redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(5, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                return "renice answered: " + output;
            }
            return null;
        } catch (IOException e) {
            return "renice could not be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The calling thread's Linux task id, empty where there is no {@code /proc/thread-self}. */
    static OptionalInt currentTaskId() {
        try {
            // "<pid>/task/<tid>"
            Path link = Files.readSymbolicLink(THREAD_SELF);
            return OptionalInt.of(Integer.parseInt(link.getFileName().toString()));
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The calling thread's nice value as Linux reports it, empty where there is no {@code /proc/thread-self}. */
    public static OptionalInt currentNice() {
        return niceOf(THREAD_SELF.resolve("stat"));
    }

    /** The nice value in a task's {@code stat} file ({@code /proc/<pid>/task/<tid>/stat}), empty when unreadable. */
    static OptionalInt niceOf(Path stat) {
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            // after "pid (comm) ": state is field 3, nice field 19 (proc(5)); comm may hold spaces
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(fields[19 - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private void logUnsupported(String reason) {
        if (!unsupportedLogged) {
            unsupportedLogged = true;
            log.info("Side routes run at normal priority ({}); telemetry first relies on their waits alone", reason);
        }
    }
}
