package io.millwright.bench.sparkplug;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.ot.sparkplug.SparkplugHost;
import io.millwright.ot.sparkplug.SparkplugProperties;
import io.millwright.ot.sparkplug.SparkplugRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * Sparkplug B metrics/s through the hub's Sparkplug host beside the broker's own rate for the same
 * payloads, in one run: an edge node publishes an NBIRTH and then NDATA messages (metrics by alias,
 * Tahu-encoded, QoS 0) to the broker as fast as it can; two subscribers take the same stream at the
 * same time: (a) a bare Paho subscriber that only counts the messages (the broker's rate), and (b) the
 * hub's {@link SparkplugHost} (its MQTT session, Sparkplug session checks, alias resolution, decoding
 * to canonical readings) with its real ingest route {@code ot-sparkplug-ingest}, counted where the
 * route hands the readings to the edge filters and the telemetry intake. Enrichment and publishing
 * to Kafka are the telemetry benchmark's subject (scripts/benchmark-telemetry.sh), not this one's.
 *
 * <pre>
 * ./scripts/benchmark-sparkplug.sh [--broker tcp://127.0.0.1:1883] [--messages 20000] [--metrics 10]
 * </pre>
 */
public final class SparkplugBenchmark {

    /** First and last arrival and a count, for one side. */
    static final class Meter {
        final AtomicLong metrics = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;

        void add(long messageCount, long metricCount) {
            long now = System.nanoTime();
            if (firstNanos == 0) {
                firstNanos = now;
            }
            lastNanos = now;
            messages.addAndGet(messageCount);
            metrics.addAndGet(metricCount);
        }

        double metricsPerSecond() {
            double seconds = (lastNanos - firstNanos) / 1e9;
            return seconds <= 0 ? 0 : metrics.get() / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String broker = option(args, "--broker", "tcp://127.0.0.1:1883");
        int messages = Integer.parseInt(option(args, "--messages", "20000"));
        int perMessage = Integer.parseInt(option(args, "--metrics", "10"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String group = "mwbench-" + run;
        String node = "edge-1";

        Meter bare = new Meter();
        Meter hub = new Meter();

        // (a) the bare subscriber: counts NDATA messages of this run, decodes nothing
        MqttClient bareClient = new MqttClient(broker, "mwbench-bare-" + run, new MemoryPersistence());
        bareClient.connect(cleanSession());
        bareClient.subscribe("spBv1.0/" + group + "/NDATA/#", 0, (topic, message) -> bare.add(1, perMessage));

        // (b) the hub's Sparkplug host with its ingest route; readings of this run's NDATA counted at the route's end
        CamelContext camel = new DefaultCamelContext();
        SparkplugProperties settings = new SparkplugProperties(true, "mwbench-host-" + run, broker, "", "", "",
                Duration.ofSeconds(30), Duration.ofSeconds(10), true, java.util.List.of());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SparkplugHost host = SparkplugHost.create(settings, (source, connection, tag) -> null,
                camel.createProducerTemplate(), meters);
        camel.addRoutes(new SparkplugRoutes());
        String source = "sparkplug://" + group + "/" + node;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Endpoints.EDGE_FILTER).routeId("bench-hub-output").process(exchange -> {
                    List<?> readings = exchange.getMessage().getBody(List.class);
                    if (!readings.isEmpty() && source.equals(((SourceReading) readings.get(0)).source())) {
                        hub.add(1, readings.size());
                    }
                });
                from(Endpoints.EVENT_PUBLISH).routeId("bench-hub-events").log("data gap ${body}");
            }
        });
        camel.start();
        host.start();
        waitUntil(host::isConnected, Duration.ofSeconds(30), "the hub's Sparkplug host did not connect to " + broker);

        // the edge node: NBIRTH with aliases 1..n, then NDATA by alias, seq 1, 2, ... 255, 0, 1 ...
        MqttClient edge = new MqttClient(broker, "mwbench-edge-" + run, new MemoryPersistence());
        MqttConnectOptions edgeOptions = cleanSession();
        edgeOptions.setMaxInflight(65_535);
        edge.connect(edgeOptions);
        String birthTopic = "spBv1.0/" + group + "/NBIRTH/" + node;
        String dataTopic = "spBv1.0/" + group + "/NDATA/" + node;
        edge.publish(birthTopic, birth(perMessage), 0, false);
        waitUntil(() -> hub.messages.get() >= 1, Duration.ofSeconds(10), "the hub did not take the NBIRTH");
        long hubBirthReadings = hub.metrics.get();
        hub.metrics.set(0);
        hub.messages.set(0);
        hub.firstNanos = 0;

        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            payloads.add(data(perMessage, (i + 1) % 256, i));
        }
        System.out.printf(Locale.ROOT, "Publishing %,d NDATA x %d metrics to %s (group %s); hub took %d BIRTH readings%n",
                messages, perMessage, broker, group, hubBirthReadings);
        long publishStart = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            edge.publish(dataTopic, payloads.get(i % 256), 0, false);
        }
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;

        // both sides are done when both have everything, or neither has counted anything for 10 s
        // (a loaded machine stalls a consumer for seconds; 3 s cut the hub short in a first try)
        long lastBare = -1;
        long lastHub = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && (bare.messages.get() < messages || hub.messages.get() < messages)
                && (bare.messages.get() != lastBare || hub.messages.get() != lastHub)) {
            lastBare = bare.messages.get();
            lastHub = hub.messages.get();
            Thread.sleep(10_000); // a benchmark's settle interval, not a test wait
        }

        long offeredMetrics = (long) messages * perMessage;
        System.out.println();
        System.out.printf(Locale.ROOT, "%-38s %14s %14s %14s%n", "side", "metrics recvd", "lost", "metrics/s");
        System.out.printf(Locale.ROOT, "%-38s %,14d %14s %,14.0f%n", "edge node publishing (offered)", offeredMetrics, "-",
                offeredMetrics / publishSeconds);
        System.out.printf(Locale.ROOT, "%-38s %,14d %,14d %,14.0f%n", "bare Paho subscriber (broker rate)", bare.metrics.get(),
                offeredMetrics - bare.metrics.get(), bare.metricsPerSecond());
        System.out.printf(Locale.ROOT, "%-38s %,14d %,14d %,14.0f%n", "hub Sparkplug host -> canonical readings",
                hub.metrics.get(), offeredMetrics - hub.metrics.get(), hub.metricsPerSecond());
        System.out.printf(Locale.ROOT, "hub session connected at the end: %s   hub MQTT messages taken: %.0f (incl. BIRTH)%n",
                host.isConnected(), meters.counter("millwright.sparkplug.messages", "connection", host.connection()).count());
        System.out.printf(Locale.ROOT, "hub / bare rate: %.2f   rebirth requests: %.0f   (messages %d x %d metrics)%n",
                bare.metricsPerSecond() == 0 ? 0 : hub.metricsPerSecond() / bare.metricsPerSecond(),
                meters.find("millwright.sparkplug.rebirth.requests").counters().stream().mapToDouble(c -> c.count()).sum(),
                messages, perMessage);

        edge.disconnect();
        edge.close();
        bareClient.disconnect();
        bareClient.close();
        host.stop();
        camel.stop();
    }

    private static byte[] birth(int metrics) throws Exception {
        Date now = new Date();
        List<Metric> list = new ArrayList<>();
        list.add(new MetricBuilder("bdSeq", MetricDataType.Int64, 0L).timestamp(now).createMetric());
        for (int a = 1; a <= metrics; a++) {
            list.add(new MetricBuilder("Process/Value" + a, MetricDataType.Double, 0.0).alias((long) a).timestamp(now).createMetric());
        }
        return new SparkplugBPayloadEncoder().getBytes(new SparkplugBPayload(now, list, 0L), false);
    }

    private static byte[] data(int metrics, long seq, int variant) throws Exception {
        Date now = new Date();
        List<Metric> list = new ArrayList<>();
        for (int a = 1; a <= metrics; a++) {
            list.add(new MetricBuilder((long) a, MetricDataType.Double, 20.0 + variant * 0.01 + a).timestamp(now).createMetric());
        }
        // DATA strips the data types (the host has them from the BIRTH), as edge libraries do
        return new SparkplugBPayloadEncoder().getBytes(new SparkplugBPayload(now, list, seq), true);
    }

    private static MqttConnectOptions cleanSession() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        return options;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration limit, String failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(50);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
