package io.millwright.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the JVM's optimizing compiler (C2) at a low priority while the hub starts, and gives it its
 * priority back once the hub is ready.
 *
 * <p>On 2 cores the start is bound by CPU, and C2 takes the largest share of it: 7.7-10.2 of 21.5-27.3
 * CPU seconds before readiness with 10,000 OPC UA items, mostly compiling Spring's start-up code that
 * never runs again. The main thread builds the context on one core while C1, C2 and the brokers' start
 * share the other. With C2 at nice 19 until readiness, C2 takes what the others leave: in seven
 * interleaved pairs the start was ready 1.6 s sooner on average (+0.5 to -3.5 s), C2 using 4.5-6.2 CPU s
 * instead of 7.7-10.2 (docs/benchmarks.md). Afterwards C2 compiles the telemetry path at normal priority.
 *
 * <p>Linux lets a process lower its own threads' priority, but raising it back needs root or a
 * {@code RLIMIT_NICE} that allows nice 0 ({@code LimitNICE=+0} in a systemd unit). Where that is not
 * given the compiler keeps its priority from the start: a C2 left at nice 19 for good would starve on
 * a busy machine and leave the hot path in slower code. Not Linux, no {@code renice}: nothing changes.
 */
public final class StartupCompilerPriority {

    /** The nice value of the C2 compiler threads while the hub starts. */
    static final int STARTUP_NICE = 19;
    /** Linux's {@code comm} of HotSpot's C2 threads ({@code C2 CompilerThread0}, cut to 15 characters). */
    static final String C2_THREAD = "C2 CompilerThre";

    private static final Logger log = LoggerFactory.getLogger(StartupCompilerPriority.class);
    private static final Path TASKS = Path.of("/proc/self/task");

    private final List<Integer> lowered;
    private final int restoreTo;

    private StartupCompilerPriority(List<Integer> lowered, int restoreTo) {
        this.lowered = lowered;
        this.restoreTo = restoreTo;
    }

    /**
     * Lowers the C2 compiler threads to nice {@value #STARTUP_NICE} when this process may raise them back;
     * else changes nothing. {@link #restore()} gives the priority back.
     */
    public static StartupCompilerPriority lowerWhileStarting() {
        List<Integer> threads = c2Threads();
        if (threads.isEmpty()) {
            return new StartupCompilerPriority(new ArrayList<>(), 0);
        }
        OptionalInt before = nice(threads.get(0));
        if (before.isEmpty() || before.getAsInt() >= STARTUP_NICE) {
            return new StartupCompilerPriority(new ArrayList<>(), 0);
        }
        if (!mayRaiseBackTo(before.getAsInt(), effectiveUid(), niceLimit())) {
            log.debug("The JIT compiler keeps its priority during the start: this process could not give it back"
                    + " (not root, RLIMIT_NICE too low)");
            return new StartupCompilerPriority(new ArrayList<>(), 0);
        }
        List<Integer> lowered = new ArrayList<>();
        for (int task : threads) {
            if (renice(task, STARTUP_NICE)) {
                lowered.add(task);
            }
        }
        return new StartupCompilerPriority(lowered, before.getAsInt());
    }

    /** The C2 threads' task ids that {@link #lowerWhileStarting()} lowered and {@link #restore()} has not given back. */
    synchronized List<Integer> lowered() {
        return List.copyOf(lowered);
    }

    /**
     * Gives the C2 threads their priority back; once. Also those the JVM added during the start (on more cores it
     * adds C2 threads as its queue grows, from a C2 thread, whose nice value a new thread inherits).
     */
    public synchronized void restore() {
        if (lowered.isEmpty()) {
            return;
        }
        Set<Integer> threads = new TreeSet<>(lowered);
        threads.addAll(c2Threads());
        int restored = 0;
        for (int task : threads) {
            OptionalInt now = nice(task);
            if (now.isEmpty() || now.getAsInt() != STARTUP_NICE) {
                continue; // ended since, or never lowered
            }
            if (renice(task, restoreTo)) {
                restored++;
            } else {
                log.warn("The JIT compiler thread {} could not be given back nice {} after the start", task, restoreTo);
            }
        }
        log.info("JIT compiler back at nice {} after the start ({} thread(s) at nice {} until readiness)", restoreTo,
                restored, STARTUP_NICE);
        lowered.clear();
    }

    /**
     * Whether a process may set a thread's nice value back to {@code nice}: root may, and so may a process whose
     * {@code RLIMIT_NICE} soft limit is at least {@code 20 - nice} (setpriority(2)).
     */
    static boolean mayRaiseBackTo(int nice, OptionalInt effectiveUid, OptionalInt niceLimit) {
        return effectiveUid.orElse(-1) == 0 || niceLimit.orElse(0) >= 20 - nice;
    }

    /** The soft limit of "Max nice priority" in a {@code /proc/<pid>/limits} text, empty when absent. */
    static OptionalInt niceLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max nice priority")) {
                String[] fields = line.substring("Max nice priority".length()).trim().split("\\s+");
                try {
                    return OptionalInt.of(Integer.parseInt(fields[0]));
                } catch (NumberFormatException unlimited) {
                    return OptionalInt.of(40); // "unlimited": any nice value
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The effective user id in a {@code /proc/<pid>/status} text ({@code Uid: real effective saved fs}). */
    static OptionalInt effectiveUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] fields = line.substring(4).trim().split("\\s+");
                return fields.length > 1 ? OptionalInt.of(Integer.parseInt(fields[1])) : OptionalInt.empty();
            }
        }
        return OptionalInt.empty();
    }

    /** The nice value of one of this process's threads, as Linux reports it. */
    static OptionalInt nice(int task) {
        return SideRouteThreads.niceOf(TASKS.resolve(Integer.toString(task)).resolve("stat"));
    }

    /** The task ids of this process's C2 compiler threads; empty where there is no {@code /proc} (not Linux). */
    static List<Integer> c2Threads() {
        List<Integer> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII).strip().equals(C2_THREAD)) {
                        threads.add(Integer.parseInt(task.getFileName().toString()));
                    }
                } catch (IOException | NumberFormatException ended) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            return List.of();
        }
        return threads;
    }

    private static OptionalInt effectiveUid() {
        try {
            return effectiveUid(Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static OptionalInt niceLimit() {
        try {
            return niceLimit(Files.readString(Path.of("/proc/self/limits"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** {@link SideRouteThreads#renice}, and Linux reports the thread at that nice value since. */
    private static boolean renice(int task, int nice) {
        return SideRouteThreads.renice(task, nice) == null && nice(task).orElse(nice) == nice;
    }
}
