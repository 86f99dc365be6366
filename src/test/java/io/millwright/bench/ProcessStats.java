package io.millwright.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and memory of one process, read from Linux's {@code /proc/<pid>}: user + system CPU
 * time from {@code stat} (fields 14 and 15, in clock ticks of {@code getconf CLK_TCK}, usually
 * 10 ms), resident set size and its peak from {@code status} ({@code VmRSS}, {@code VmHWM}). The
 * CPU time covers every thread of the process: JIT, GC, Kafka's and Artemis's threads when they
 * run inside it.
 */
record ProcessStats(long pid, long cpuNanos, long systemNanos, long rssKiB, long peakRssKiB) {

    private static final long CLOCK_TICK_NANOS = 1_000_000_000L / clockTicksPerSecond();

    /** The process's figures now. */
    static ProcessStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: split after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long userTicks = Long.parseLong(fields[11]); // utime
            long systemTicks = Long.parseLong(fields[12]); // stime
            List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
            return new ProcessStats(pid, (userTicks + systemTicks) * CLOCK_TICK_NANOS, systemTicks * CLOCK_TICK_NANOS,
                    kib(status, "VmRSS:"), kib(status, "VmHWM:"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + " (has the process ended?)", e);
        }
    }

    /**
     * CPU seconds (user + system) per kind of thread, from each task's name ({@code comm}, 15 characters):
     * main (the task named {@code java} besides the first), JIT (C1 and C2 compiler threads), GC, and
     * every other thread still running (the brokers', Camel's, Milo's); threads that ended are only in the process's total.
     */
    static java.util.Map<String, Double> cpuSecondsByThreadKind(long pid) {
        java.util.Map<String, Double> seconds = new java.util.LinkedHashMap<>();
        for (String kind : List.of("main", "JIT", "GC", "other")) {
            seconds.put(kind, 0.0);
        }
        for (Task task : tasks(pid)) {
            String kind = task.name().equals("java") && !task.id().equals(String.valueOf(pid)) ? "main"
                    : isJit(task.name()) ? "JIT" : isGc(task.name()) ? "GC" : "other";
            seconds.merge(kind, task.cpuNanos() / 1e9, Double::sum);
        }
        return seconds;
    }

    /**
     * CPU nanoseconds (user + system) of each running thread, by task id, with the kind the window's breakdown gives it
     * ({@link #windowKind}): what {@link #cpuMicrosPerChangeByKind} subtracts at the window's two ends.
     */
    record ThreadCpu(String kind, long cpuNanos) {}

    static java.util.Map<String, ThreadCpu> cpuByThread(long pid) {
        java.util.Map<String, ThreadCpu> threads = new java.util.HashMap<>();
        for (Task task : tasks(pid)) {
            threads.put(task.id(), new ThreadCpu(windowKind(task.name(), task.nice()), task.cpuNanos()));
        }
        return threads;
    }

    /** One running thread of a process: its task id, name ({@code comm}, 15 characters), nice value and CPU time. */
    private record Task(String id, String name, int nice, long cpuNanos) {}

    /** The process's running threads, from {@code /proc/<pid>/task/*}; a thread that ends while they are read is left out. */
    private static List<Task> tasks(long pid) {
        List<Task> found = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    // after the name in parentheses: field 3 (state) is [0]; utime [11], stime [12], nice [16]
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
                    found.add(new Task(task.getFileName().toString(), name, Integer.parseInt(fields[16]), cpu));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/" + pid + "/task (has the process ended?)", e);
        }
        return found;
    }

    private static boolean isJit(String name) {
        return name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
    }

    private static boolean isGc(String name) {
        return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread");
    }

    /**
     * The kind of a thread in the window: JIT (C1 and C2 compilers), GC (G1's and the VM thread), side routes (every
     * other thread at a nice value above 0: the hub lowers its analytics and alerting threads' priority,
     * {@code millwright.side-routes.nice}), and the rest (the telemetry path, Milo, the embedded brokers, Camel's other
     * threads). Field 19 of {@code /proc/<pid>/task/<tid>/stat} is the nice value.
     */
    static String windowKind(String name, int nice) {
        return isJit(name) ? "JIT" : isGc(name) ? "GC" : nice > 0 ? "side routes" : "the rest";
    }

    /**
     * CPU-µs per change in a window by kind of thread ({@link #windowKind}), from the threads' CPU at its two ends;
     * a thread that started in the window counts from 0, one that ended in it is left out (the process total has it).
     */
    static java.util.Map<String, Double> cpuMicrosPerChangeByKind(
            java.util.Map<String, ThreadCpu> atStart, java.util.Map<String, ThreadCpu> atEnd, long changes) {
        java.util.Map<String, Double> micros = new java.util.LinkedHashMap<>();
        for (String kind : List.of("the rest", "side routes", "JIT", "GC")) {
            micros.put(kind, 0.0);
        }
        if (changes <= 0) {
            return micros;
        }
        atEnd.forEach((task, end) -> {
            ThreadCpu start = atStart.get(task);
            long spent = end.cpuNanos() - (start == null ? 0 : start.cpuNanos());
            micros.merge(end.kind(), spent / 1000.0 / changes, Double::sum);
        });
        return micros;
    }

    /** CPU time spent between {@code earlier} and this sample. */
    long cpuNanosSince(ProcessStats earlier) {
        return cpuNanos - earlier.cpuNanos;
    }

    /** Share of the CPU time since {@code earlier} spent in the kernel on the process's behalf. */
    double systemShareSince(ProcessStats earlier) {
        long cpu = cpuNanosSince(earlier);
        return cpu == 0 ? 0 : (double) (systemNanos - earlier.systemNanos) / cpu;
    }

    long rssMiB() {
        return rssKiB / 1024;
    }

    long peakRssMiB() {
        return peakRssKiB / 1024;
    }

    private static long kib(List<String> status, String key) {
        for (String line : status) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
            }
        }
        return -1;
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's USER_HZ on every common architecture
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
