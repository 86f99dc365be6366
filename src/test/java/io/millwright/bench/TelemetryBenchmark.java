package io.millwright.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The telemetry benchmark of issue #5: how much the hub costs per OPC UA value change, beside a
 * bare Milo-to-Kafka client against the same server. Run by {@code scripts/benchmark-telemetry.sh}.
 *
 * <p>For each row (items x change interval) it starts one {@link BenchOpcUaServer} and measures,
 * one after the other, the bare baseline ({@link BareRun}: {@link BareMiloKafkaClient} with its
 * own {@link BareKafkaBroker}) and the packaged hub ({@link HubRun}, embedded brokers included),
 * each over the same window of server ticks ({@link MeasurementWindow}) read back from Kafka by a
 * {@link SignalTopicMeter}. Prints progress on stderr and the table ({@link ResultTable}) on stdout.
 *
 * <pre>
 * TelemetryBenchmark                                    the full table (4 rows, bare and hub)
 * TelemetryBenchmark --items 10000 --interval 200ms     one row
 *   --only bare|hub  --seconds 30  --warmup 15s  --grace 10s  --start-timeout 180s
 *   --max-items-per-call 1000  --legacy-hub-connection-file  --hub-heap 1g
 *   --hub-args "--millwright.mes.kafka-compression=none ..."  (more settings for the hub, space-separated)
 *   --hub-workers 1  (the connection file's hand-off.workers; default: the hub's, one per processor up to 4)
 *   --no-cds  (the hub starts without the class data sharing archive; by default the launcher's first start of a new jar
 *             makes it, so the benchmark makes it untimed before, with `scripts/millwright --prepare-cds`, and times a
 *             start after the first, as a service restarts; --cds is accepted and is the default)
 *   --side-routes on|off|both  (the hub's analytics and alerting side routes; default on, as shipped)
 *   --jar target/millwright-0.1.0-SNAPSHOT.jar  --repository .  --jfr &lt;dir&gt;  --keep
 * </pre>
 */
public final class TelemetryBenchmark {

    record Row(int items, Duration interval) {}

    /**
     * 100,000 items change every 5 s, not every second: the server offers 100,000 changes/s, but
     * with it (0.3-0.5 of a core) and the bare baseline (about 17 CPU-µs per change, 1.7 cores)
     * on two shared cores neither client can keep up, and the row would measure a growing queue
     * instead of what it is for: holding 100,000 items (docs/benchmarks.md). One row at 1 s:
     * {@code --items 100000 --interval 1s}.
     */
    static final List<Row> FULL_TABLE = List.of(
            new Row(1_000, Duration.ofMillis(200)),
            new Row(10_000, Duration.ofSeconds(1)),
            new Row(10_000, Duration.ofMillis(200)),
            new Row(100_000, Duration.ofSeconds(5)));

    private TelemetryBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse("TelemetryBenchmark", args,
                Set.of("legacy-hub-connection-file", "keep", "cds", "no-cds"),
                Set.of("items", "interval", "seconds", "warmup", "grace", "only", "start-timeout", "max-items-per-call",
                        "hub-heap", "jar", "repository", "jfr", "side-routes", "hub-args", "hub-workers"));
        List<Row> rows = options.has("items") || options.has("interval")
                ? List.of(new Row(options.integer("items", 10_000), options.duration("interval", Duration.ofMillis(200))))
                : FULL_TABLE;
        String only = options.string("only", "both");
        if (!Set.of("both", "bare", "hub").contains(only)) {
            throw new IllegalArgumentException("TelemetryBenchmark: --only must be bare or hub, was '" + only + "'");
        }
        boolean bare = !only.equals("hub");
        boolean hub = !only.equals("bare");
        // the hub as shipped runs the analytics and alerting side routes in its process; "off" measures
        // the telemetry path alone, "both" measures the two one after the other
        String sideRoutes = options.string("side-routes", "on");
        if (!Set.of("on", "off", "both").contains(sideRoutes)) {
            throw new IllegalArgumentException("TelemetryBenchmark: --side-routes must be on, off or both, was '" + sideRoutes + "'");
        }
        List<Boolean> hubSideRoutes = switch (sideRoutes) {
            case "off" -> List.of(false);
            case "both" -> List.of(true, false);
            default -> List.of(true);
        };
        Path repository = Path.of(options.string("repository", ".")).toAbsolutePath().normalize();
        Path jar = repository.resolve(options.string("jar", "target/millwright-0.1.0-SNAPSHOT.jar"));
        if (hub && !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("TelemetryBenchmark: no hub jar at " + jar + "; build it (./mvnw -DskipTests package)");
        }
        Duration warmup = options.duration("warmup", Duration.ofSeconds(15));
        Duration window = options.duration("seconds", Duration.ofSeconds(30));
        Duration grace = options.duration("grace", Duration.ofSeconds(10));
        Path jfrDir = options.has("jfr") ? Files.createDirectories(Path.of(options.string("jfr", "jfr")).toAbsolutePath()) : null;
        boolean keep = options.flag("keep");
        Path runDir = Files.createTempDirectory("millwright-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ChildProcess.stopAll();
            if (!keep) {
                TempDirs.delete(runDir);
            }
        }, "bench-stop"));

        int runs = rows.size() * ((bare ? 1 : 0) + (hub ? hubSideRoutes.size() : 0));
        Progress progress = new Progress(runs, warmup.plus(window).plus(Duration.ofSeconds(60)));
        BenchSettings settings = new BenchSettings(absoluteClasspath(), runDir, repository, jar, warmup,
                window, grace, options.duration("start-timeout", Duration.ofSeconds(180)),
                options.integer("max-items-per-call", 1000), options.flag("legacy-hub-connection-file"),
                options.string("hub-heap", null), jfrDir, progress,
                List.of(options.string("hub-args", "").trim().split("\\s+")).stream().filter(a -> !a.isEmpty()).toList(),
                !options.flag("no-cds"), options.integer("hub-workers", 0));
        progress.note(ResultTable.machine() + "; run dir " + runDir + (keep ? " (kept)" : ""));

        List<RunResult> results = new ArrayList<>();
        for (Row row : rows) {
            String rowLabel = String.format("%,d items @ %s", row.items(), HubWorkDir.durationText(row.interval()));
            try (ChildProcess server = ChildProcess.javaMain("server-" + row.items() + "-"
                            + HubWorkDir.durationText(row.interval()), List.of("-Xmx2g"), settings.classpath(),
                    BenchOpcUaServer.class, List.of("--items", String.valueOf(row.items()), "--interval",
                            HubWorkDir.durationText(row.interval()), "--max-items-per-call",
                            String.valueOf(settings.maxItemsPerCall())), runDir)) {
                String endpoint = server.awaitLine(l -> l.containsKey("endpoint"), Duration.ofSeconds(120), "endpoint")
                        .get("endpoint");
                if (bare) {
                    progress.startRun(rowLabel + " bare");
                    results.add(runSafely("bare", row, () -> BareRun.run(settings, server, endpoint, row.items(), row.interval()),
                            progress));
                }
                for (boolean withSideRoutes : hub ? hubSideRoutes : List.<Boolean>of()) {
                    String who = HubRun.who(withSideRoutes);
                    progress.startRun(rowLabel + " " + who);
                    results.add(runSafely(who, row,
                            () -> HubRun.run(settings, server, endpoint, row.items(), row.interval(), withSideRoutes), progress));
                }
            }
            System.err.println(ResultTable.render(results));
        }
        System.out.println();
        System.out.println(ResultTable.machine());
        System.out.println();
        System.out.println(ResultTable.render(results));
        System.exit(0);
    }

    /** This JVM's classpath with absolute entries: the children run in other directories. */
    private static String absoluteClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private interface Run {
        RunResult run() throws Exception;
    }

    /** A failed run is reported as such, with its reason; the other runs go on. */
    private static RunResult runSafely(String who, Row row, Run run, Progress progress) {
        try {
            return run.run();
        } catch (Exception | Error e) {
            progress.note("RUN FAILED: " + e);
            e.printStackTrace();
            String reason = String.valueOf(e.getMessage());
            return RunResult.failed(who, row.items(), row.interval(), reason.lines().findFirst().orElse(reason));
        }
    }
}
