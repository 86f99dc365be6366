package io.millwright.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of the bare baseline against a running {@link BenchOpcUaServer}: starts a
 * {@link BareKafkaBroker}, creates {@code bench.bare} with LogAppendTime, starts the meter and the
 * {@link BareMiloKafkaClient}, waits until its items are created, measures the window, stops
 * both. CPU and memory of the client and the broker are reported apart.
 */
final class BareRun {

    static final String TOPIC = "bench.bare";

    private BareRun() {}

    static RunResult run(BenchSettings settings, ChildProcess server, String endpoint, int items, Duration interval)
            throws Exception {
        String label = "bare-" + items + "-" + HubWorkDir.durationText(interval);
        try (ChildProcess broker = ChildProcess.javaMain(label + "-broker", List.of("-Xmx1g"), settings.classpath(),
                        BareKafkaBroker.class, List.of(), settings.runDir())) {
            String bootstrap = broker.awaitLine(l -> l.containsKey("bootstrap"), Duration.ofSeconds(90), "bootstrap")
                    .get("bootstrap");
            String topicSetup = BenchTopics.ensureLogAppendTime(bootstrap, Map.of(), TOPIC, 3);
            try (SignalTopicMeter meter = new SignalTopicMeter(bootstrap, Map.of(), TOPIC, SignalTopicMeter.Format.BARE, items)) {
                meter.start(Duration.ofSeconds(30));
                settings.progress().phase("bare client connecting and creating " + items + " items", Duration.ofSeconds(10));
                try (ChildProcess client = ChildProcess.javaMain(label + "-client", List.of("-Xmx1g"), settings.classpath(),
                        BareMiloKafkaClient.class,
                        List.of("--endpoint", endpoint, "--items", String.valueOf(items), "--interval",
                                HubWorkDir.durationText(interval), "--bootstrap", bootstrap, "--topic", TOPIC),
                        settings.runDir())) {
                    Map<String, String> created = client.awaitLine(
                            l -> l.containsKey("created"), settings.startTimeout(), "items created");
                    long readyMillis = (System.nanoTime() - client.startedNanos()) / 1_000_000;
                    MeasurementWindow.Figures figures = MeasurementWindow.measure(server, meter, List.of(client, broker),
                            interval, settings.warmup(), settings.window(), settings.grace(), settings.progress(),
                            settings.profiler(client, label));
                    long allNodesAt = meter.allNodesSeenAtMillis();
                    long launchedAtMillis = System.currentTimeMillis() - (System.nanoTime() - client.startedNanos()) / 1_000_000;
                    List<String> notes = new ArrayList<>();
                    notes.add("client created its items in CreateMonitoredItems calls of at most "
                            + created.get("maxMonitoredItemsPerCall") + " (connect " + created.get("connectMillis")
                            + " ms; of the creation, " + created.get("addMillis") + " ms in Milo's addMonitoredItems)");
                    if (!"0".equals(created.get("failed"))) {
                        notes.add(created.get("failed") + " items failed to be created");
                    }
                    Map<String, String> status = client.lastLineWith("notificationDataLost");
                    if (status != null && !"0".equals(status.get("notificationDataLost"))) {
                        notes.add("Milo reported notification data lost " + status.get("notificationDataLost") + " times");
                    }
                    if (status != null && !"0".equals(status.get("sendErrors"))) {
                        notes.add(status.get("sendErrors") + " Kafka send errors");
                    }
                    notes.addAll(windowNotes(figures.window(), "topic " + topicSetup));
                    notes.add("client CPU " + figures.systemShareText(client.pid()) + ", broker CPU "
                            + figures.systemShareText(broker.pid()));
                    notes.add(figures.serverNote(items));
                    notes.add(figures.machineNote());
                    notes.add(meter.readSoFar());
                    return new RunResult("bare", items, interval, figures.seconds(), figures.offeredPerSecond(),
                            figures.receivedPerSecond(), figures.window().expected(), figures.window().received(),
                            figures.window().lost(), figures.window().duplicates(), figures.cpuMicrosPerChange(client.pid()),
                            figures.cpuMicrosPerChange(broker.pid()), figures.atEnd().get(client.pid()).rssMiB(),
                            figures.atEnd().get(client.pid()).peakRssMiB(), figures.atEnd().get(broker.pid()).rssMiB(),
                            Long.parseLong(created.get("createMillis")), readyMillis,
                            allNodesAt < 0 ? null : allNodesAt - launchedAtMillis, figures.percentileMillis(50),
                            figures.percentileMillis(99), figures.maxMillis(), figures.cpuPercent(server.pid()),
                            figures.cpuPercent(ProcessHandle.current().pid()), notes);
                }
            }
        }
    }

    /** Notes every run shares: how record timestamps were set, anything odd in the window. */
    static List<String> windowNotes(SignalTopicMeter.WindowResult window, String topicSetup) {
        List<String> notes = new ArrayList<>();
        notes.add(topicSetup);
        if (window.createTimeRecords() > 0) {
            notes.add(window.createTimeRecords() + " records had CreateTime timestamps (latency from the producer's clock)");
        }
        if (window.negativeLatencies() > 0) {
            notes.add(window.negativeLatencies() + " latencies below 0 (ms-rounded append time) counted as 0");
        }
        return notes;
    }
}
