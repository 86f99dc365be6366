package io.millwright.bench;

import io.millwright.ops.KafkaClientProperties;
import io.millwright.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One run of the packaged hub against a running {@link BenchOpcUaServer}: generates its work dir
 * ({@link HubWorkDir}), launches {@code java -Xmx.. -jar millwright.jar} with the simulators off
 * and every port free, waits for readiness, switches {@code millwright.events.signal} to
 * LogAppendTime, waits until its OPC UA items are created and every node has delivered, measures
 * the window and stops the hub. "Items created in" is the hub's own figure from its health
 * component {@code opcua} ({@code creationTime}: first CreateMonitoredItems call to the last
 * answer), the same span the bare client reports. The hub's CPU and memory include its embedded Kafka and Artemis.
 */
final class HubRun {

    static final String TOPIC = "millwright.events.signal";
    /** The hub's own broker user (millwright.artemis.hub-user's default; the embedded Kafka's super user). */
    private static final String HUB_USER = "millwright-hub";
    private static final Duration POLL = Duration.ofMillis(100);
    /** The settings that switch off every side route reading the canonical topics (README "Analytics and alerts"). */
    static final List<String> SIDE_ROUTES_OFF = List.of(
            "--millwright.analytics.lake.enabled=false",
            "--millwright.analytics.rollups.enabled=false",
            "--millwright.analytics.anomaly.enabled=false",
            "--millwright.analytics.kpi.enabled=false",
            "--millwright.alerting.enabled=false");

    private HubRun() {}

    /** The row's "who": the hub as shipped, or with its analytics and alerting side routes off. */
    static String who(boolean sideRoutes) {
        return sideRoutes ? "hub" : "hub, side routes off";
    }

    static RunResult run(BenchSettings settings, ChildProcess server, String endpoint, int items, Duration interval,
            boolean sideRoutes) throws Exception {
        String label = "hub-" + items + "-" + HubWorkDir.durationText(interval) + (sideRoutes ? "" : "-no-side-routes");
        Path work = HubWorkDir.create(
                settings.runDir(), settings.repository(), endpoint, items, interval, settings.legacyHubConnectionFile(),
                settings.hubWorkers());
        int kafkaPort = FreePorts.next();
        int httpPort = FreePorts.next();
        String heap = settings.hubHeap() != null ? settings.hubHeap() : items > 10_000 ? "1g" : "512m";
        String password = "bench-" + UUID.randomUUID();
        String brokerPassword = "bench-" + UUID.randomUUID();
        List<String> arguments = new ArrayList<>(List.of(
                "--millwright.sim.opcua.enabled=false",
                "--millwright.sim.erp.enabled=false",
                "--millwright.data-dir=" + work.resolve("data"),
                "--millwright.adapters-dir=" + work.resolve("adapters"),
                "--millwright.mappings-dir=" + work.resolve("mappings"),
                "--millwright.routes-dir=" + work.resolve("routes"),
                "--millwright.kafka.port=" + kafkaPort,
                "--millwright.kafka.controller-port=" + FreePorts.next(),
                "--millwright.artemis.port=" + FreePorts.next(),
                "--server.port=" + httpPort,
                "--millwright.sim.erp.port=" + FreePorts.next()));
        if (!sideRoutes) {
            arguments.addAll(SIDE_ROUTES_OFF);
        }
        arguments.addAll(settings.hubArgs());
        // the hub's documented launcher when the checkout has one (it sets the heap and off-heap
        // limits and execs java, so the process id stays the JVM's), else plain java -Xmx -jar
        Path launcher = settings.repository().resolve("scripts/millwright");
        List<String> command = new ArrayList<>();
        String launch;
        if (Files.isExecutable(launcher)) {
            command.add(launcher.toString());
            launch = "scripts/millwright with MILLWRIGHT_HEAP=" + heap;
        } else {
            command.addAll(List.of(ChildProcess.javaExecutable(), "-Xmx" + heap, "-jar",
                    settings.hubJar().toAbsolutePath().toString()));
            launch = "java -Xmx" + heap + " -jar";
        }
        command.addAll(arguments);
        Map<String, String> environment = new HashMap<>(Map.of(
                "MILLWRIGHT_ADMIN_PASSWORD", password,
                "MILLWRIGHT_ARTEMIS_HUB_PASSWORD", brokerPassword,
                "MILLWRIGHT_HEAP", heap,
                "MILLWRIGHT_JAR", settings.hubJar().toAbsolutePath().toString()));
        if (!settings.cds()) {
            // the launcher's default (auto) would make the archive in the timed start
            environment.put("MILLWRIGHT_CDS", "off");
            launch += ", without its class data sharing archive (--no-cds)";
        }
        if (settings.cds() && Files.isExecutable(launcher)) {
            // untimed: the documented "scripts/millwright --prepare-cds" once after the build
            settings.progress().phase("preparing the hub's class data sharing archive (--cds)", Duration.ofSeconds(40));
            List<String> prepare = new ArrayList<>(List.of(launcher.toString(), "--prepare-cds"));
            prepare.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(prepare).directory(work.toFile());
            builder.environment().putAll(environment);
            Process preparing = builder
                    .redirectErrorStream(true)
                    .redirectOutput(settings.runDir().resolve(label + "-prepare-cds.log").toFile())
                    .start();
            preparing.getOutputStream().close();
            if (!preparing.waitFor(5, TimeUnit.MINUTES) || preparing.exitValue() != 0) {
                throw new IllegalStateException("scripts/millwright --prepare-cds failed; see " + label + "-prepare-cds.log");
            }
            launch += ", from its class data sharing archive (--cds)";
        }
        settings.progress().phase("hub starting (" + launch + ")", Duration.ofSeconds(20));
        try (ChildProcess hub = ChildProcess.start(label, command, work, environment, settings.runDir(), true)) {
            HubProbe probe = new HubProbe(httpPort, password);
            long deadline = System.nanoTime() + settings.startTimeout().toNanos();
            while (!probe.isReady()) {
                failIfEnded(hub, deadline, "readiness");
                TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            }
            long readyMillis = sinceLaunch(hub);
            // CPU the hub spent to readiness (every thread): less sensitive to other processes' load than wall time
            double readyCpuSeconds = ProcessStats.of(hub.pid()).cpuNanos() / 1e9;
            Map<String, Double> readyCpuByKind = ProcessStats.cpuSecondsByThreadKind(hub.pid());
            // the embedded Kafka refuses anonymous clients: the benchmark logs in as the hub's user,
            // the only one allowed to change a topic's configuration
            Map<String, Object> login = new KafkaClientProperties("SASL_PLAINTEXT", "SCRAM-SHA-256", HUB_USER,
                    brokerPassword, null, null, "PKCS12").asClientConfig();
            String topicSetup = BenchTopics.ensureLogAppendTime("127.0.0.1:" + kafkaPort, login, TOPIC, 3);
            try (SignalTopicMeter meter =
                    new SignalTopicMeter("127.0.0.1:" + kafkaPort, login, TOPIC, SignalTopicMeter.Format.CLOUDEVENTS, items)) {
                meter.start(Duration.ofSeconds(30));
                settings.progress().phase("hub ready in " + readyMillis + " ms; waiting for its " + items
                        + " items and a first value of each", Duration.ofSeconds(10));
                List<String> notes = new ArrayList<>();
                Optional<HubProbe.Creation> creation = probe.creation();
                while (meter.allNodesSeenAtMillis() < 0 || creation.map(c -> !c.isFinished()).orElse(false)) {
                    if (System.nanoTime() > deadline) {
                        notes.add("not every node delivered a value (or the items were not all created) within "
                                + settings.startTimeout().toSeconds() + " s of launch; measured anyway");
                        break;
                    }
                    failIfEnded(hub, Long.MAX_VALUE, "its items");
                    TimeUnit.MILLISECONDS.sleep(250);
                    if (creation.isPresent()) {
                        creation = probe.creation();
                    }
                }
                Long itemsCreatedMillis = null;
                if (creation.isPresent() && creation.get().took() != null) {
                    itemsCreatedMillis = creation.get().took().toMillis();
                    notes.add(String.format("items: %,d requested, %,d created, %,d failed (health 'opcua')",
                            creation.get().requested(), creation.get().created(), creation.get().failed()));
                } else if (creation.isEmpty()) {
                    notes.add("items created: n/a, the hub's /actuator/health has no 'opcua' component with items created");
                }
                long launchedAtMillis = System.currentTimeMillis() - sinceLaunch(hub);
                long allNodesAt = meter.allNodesSeenAtMillis();
                MeasurementWindow.Figures figures = MeasurementWindow.measure(server, meter, List.of(hub), interval,
                        settings.warmup(), settings.window(), settings.grace(), settings.progress(),
                        settings.profiler(hub, label));
                notes.add(String.format("ready after %.1f s of CPU (user + system, all threads, launch to readiness): %s,"
                        + " threads ended before readiness %.1f s", readyCpuSeconds, readyCpuByKind.entrySet().stream()
                                .map(kind -> String.format("%s %.1f s", kind.getKey(), kind.getValue()))
                                .collect(java.util.stream.Collectors.joining(", ")),
                        readyCpuSeconds - readyCpuByKind.values().stream().mapToDouble(Double::doubleValue).sum()));
                notes.add("launched with " + launch + (sideRoutes ? "" : ", analytics and alerting side routes off")
                        + (settings.hubArgs().isEmpty() ? "" : ", " + String.join(" ", settings.hubArgs())));
                if (settings.legacyHubConnectionFile()) {
                    notes.add("connection file without sampling-interval/publishing-interval/queue-size (--legacy-hub-connection-file)");
                }
                if (settings.hubWorkers() > 0) {
                    notes.add("connection file with hand-off.workers: " + settings.hubWorkers() + " (--hub-workers)");
                }
                notes.addAll(BareRun.windowNotes(figures.window(), "topic " + topicSetup + " after the hub's start"));
                notes.add("hub CPU " + figures.systemShareText(hub.pid()));
                notes.add(figures.cpuByKindText(hub.pid()));
                notes.add(figures.serverNote(items));
                notes.add(figures.machineNote());
                notes.add(meter.readSoFar());
                ProcessStats end = figures.atEnd().get(hub.pid());
                return new RunResult(who(sideRoutes), items, interval, figures.seconds(), figures.offeredPerSecond(),
                        figures.receivedPerSecond(), figures.window().expected(), figures.window().received(),
                        figures.window().lost(), figures.window().duplicates(), figures.cpuMicrosPerChange(hub.pid()), null,
                        end.rssMiB(), end.peakRssMiB(), null, itemsCreatedMillis, readyMillis,
                        allNodesAt < 0 ? null : allNodesAt - launchedAtMillis, figures.percentileMillis(50),
                        figures.percentileMillis(99), figures.maxMillis(), figures.cpuPercent(server.pid()),
                        figures.cpuPercent(ProcessHandle.current().pid()), notes);
            }
        }
    }

    private static long sinceLaunch(ChildProcess process) {
        return (System.nanoTime() - process.startedNanos()) / 1_000_000;
    }

    private static void failIfEnded(ChildProcess hub, long deadlineNanos, String what) {
        if (!hub.isAlive()) {
            throw new IllegalStateException("the hub ended before " + what + "; " + hub.tail());
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new IllegalStateException("the hub was not ready within the start timeout; " + hub.tail());
        }
    }
}
