package io.millwright.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warm-up and the measure window of one run, both counted in the server's ticks: the window
 * is the ticks {@code [k0, k1)} after {@code warmup} worth of ticks, so the changes offered in it
 * are exactly {@code items * (k1 - k0)}. CPU time of every process of interest is sampled when
 * the server reports tick {@code k0 - 1} done (the window opens) and tick {@code k1 - 1} done (it
 * closes); the meter is then given {@code grace} to find the last changes on Kafka.
 */
final class MeasurementWindow {

    /** What the window measured; CPU and memory by process id. */
    record Figures(
            SignalTopicMeter.WindowResult window,
            double seconds,
            Map<Long, Long> cpuNanos,
            Map<Long, Double> systemShare,
            Map<Long, ProcessStats> atEnd,
            Map<Long, Map<String, Double>> cpuMicrosPerChangeByKind,
            double machineBusyCores,
            String serverMonitoredItems) {

        double offeredPerSecond() {
            return window.expected() / seconds;
        }

        double receivedPerSecond() {
            return window.received() / seconds;
        }

        Double cpuMicrosPerChange(long pid) {
            return window.received() == 0 ? null : cpuNanos.get(pid) / 1000.0 / window.received();
        }

        double cpuPercent(long pid) {
            return cpuNanos.get(pid) / 1e9 / seconds * 100;
        }

        Double percentileMillis(double percentile) {
            return window.received() == 0 ? null : window.latencyMicros().getValueAtPercentile(percentile) / 1000.0;
        }

        /** "45 % in the kernel": where a process's CPU time of the window went. */
        String systemShareText(long pid) {
            return String.format(java.util.Locale.ROOT, "%.0f %% of it in the kernel", systemShare.get(pid) * 100);
        }

        /** Cores the processes outside the benchmark kept busy on average during the window. */
        double otherBusyCores() {
            double ours = cpuNanos.values().stream().mapToLong(Long::longValue).sum() / 1e9 / seconds;
            return Math.max(0, machineBusyCores - ours);
        }

        /**
         * "CPU-µs per change by thread: the rest 8.7, side routes 12.8, JIT 1.5, GC 3.0 (...)": where a watched process's CPU of the window
         * went, by kind of thread ({@link ProcessStats#windowKind}); the JIT's share is warm-up the window still holds.
         */
        String cpuByKindText(long pid) {
            Map<String, Double> byKind = cpuMicrosPerChangeByKind.get(pid);
            if (byKind == null || window.received() == 0) {
                return "CPU-µs per change by thread: n/a";
            }
            return "CPU-µs per change by thread: " + byKind.entrySet().stream()
                    .map(kind -> String.format(java.util.Locale.ROOT, "%s %.1f", kind.getKey(), kind.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "))
                    + " (side routes: the threads the hub runs at a nice value above 0; threads that ended in the window"
                    + " are only in the total)";
        }

        /** A check on the client: a node monitored twice delivers each change twice. */
        String serverNote(int items) {
            return "server held " + serverMonitoredItems + " monitored items for " + items + " nodes";
        }

        /** What the figures of the window share the machine with, for the notes. */
        String machineNote() {
            return String.format(java.util.Locale.ROOT,
                    "machine busy %.2f of %d cores in the window, %.2f of them outside the benchmark's processes",
                    machineBusyCores, Runtime.getRuntime().availableProcessors(), otherBusyCores());
        }

        Double maxMillis() {
            return window.received() == 0 ? null : window.latencyMicros().getMaxValue() / 1000.0;
        }
    }

    private MeasurementWindow() {}

    /**
     * @param watched the processes whose CPU and memory are measured (the server's and this JVM's
     *     are always added)
     * @param profiler started for the window and stopped after it; may be a no-op
     */
    static Figures measure(
            ChildProcess server,
            SignalTopicMeter meter,
            List<ChildProcess> watched,
            Duration interval,
            Duration warmup,
            Duration length,
            Duration grace,
            Progress progress,
            WindowProfiler profiler)
            throws Exception {
        Map<String, String> latest = server.awaitLine(line -> line.containsKey("tick"), Duration.ofMinutes(1), "tick");
        long tickNow = Long.parseLong(server.lastLineWith("tick").getOrDefault("tick", latest.get("tick")));
        long warmupTicks = Math.max(2, ceilDiv(warmup.toMillis(), interval.toMillis()));
        long windowTicks = Math.max(1, Math.round((double) length.toMillis() / interval.toMillis()));
        long fromTick = tickNow + warmupTicks + 1;
        long toTick = fromTick + windowTicks;
        meter.openWindow(fromTick, toTick);

        progress.phase("warm-up " + HubWorkDir.durationText(interval.multipliedBy(warmupTicks)), warmup.plus(length));
        Duration slack = Duration.ofSeconds(60);
        Map<String, String> opened = awaitTick(server, fromTick - 1, interval.multipliedBy(warmupTicks + 2).plus(slack));
        Map<Long, ProcessStats> atStart = sample(server, watched);
        Map<Long, Map<String, ProcessStats.ThreadCpu>> threadsAtStart = threads(watched);
        MachineLoad loadAtStart = MachineLoad.now();
        profiler.start();
        progress.phase("measuring ticks " + fromTick + ".." + (toTick - 1) + " (" + HubWorkDir.durationText(
                interval.multipliedBy(windowTicks)) + ")", length);
        Map<String, String> closed = awaitTick(server, toTick - 1, interval.multipliedBy(windowTicks + 2).plus(slack));
        Map<Long, ProcessStats> atEnd = sample(server, watched);
        Map<Long, Map<String, ProcessStats.ThreadCpu>> threadsAtEnd = threads(watched);
        double busyCores = MachineLoad.now().busyCoresSince(loadAtStart);
        profiler.stop();
        double seconds = (Long.parseLong(closed.get("epochMillis")) - Long.parseLong(opened.get("epochMillis"))) / 1000.0;

        progress.phase("waiting up to " + grace.toSeconds() + " s for the window's last changes", grace);
        SignalTopicMeter.WindowResult window = meter.awaitWindow(grace);
        if (meter.failure() != null) {
            throw new IllegalStateException("the meter stopped: " + meter.failure());
        }
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, Double> system = new HashMap<>();
        atStart.forEach((pid, start) -> {
            cpu.put(pid, atEnd.get(pid).cpuNanosSince(start));
            system.put(pid, atEnd.get(pid).systemShareSince(start));
        });
        Map<Long, Map<String, Double>> byKind = new HashMap<>();
        threadsAtStart.forEach((pid, start) -> byKind.put(pid,
                ProcessStats.cpuMicrosPerChangeByKind(start, threadsAtEnd.get(pid), window.received())));
        return new Figures(window, seconds, cpu, system, atEnd, byKind, busyCores, closed.get("monitoredItems"));
    }

    private static Map<String, String> awaitTick(ChildProcess server, long tick, Duration timeout) throws InterruptedException {
        return server.awaitLine(
                line -> line.containsKey("tick") && Long.parseLong(line.get("tick")) >= tick, timeout, "tick " + tick);
    }

    private static Map<Long, Map<String, ProcessStats.ThreadCpu>> threads(List<ChildProcess> watched) {
        Map<Long, Map<String, ProcessStats.ThreadCpu>> threads = new HashMap<>();
        for (ChildProcess child : watched) {
            threads.put(child.pid(), ProcessStats.cpuByThread(child.pid()));
        }
        return threads;
    }

    private static Map<Long, ProcessStats> sample(ChildProcess server, List<ChildProcess> watched) {
        Map<Long, ProcessStats> stats = new HashMap<>();
        for (ChildProcess child : watched) {
            stats.put(child.pid(), child.stats());
        }
        stats.put(server.pid(), server.stats());
        long self = ProcessHandle.current().pid();
        stats.put(self, ProcessStats.of(self));
        return stats;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
