package io.millwright.bench.edge;

import static io.millwright.edge.link.EdgeLinkFixtures.EDGE_PASSWORD;
import static io.millwright.edge.link.EdgeLinkFixtures.HUB;
import static io.millwright.edge.link.EdgeLinkFixtures.MES;
import static io.millwright.edge.link.EdgeLinkFixtures.sender;

import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.edge.link.EdgeLinkFixtures;
import io.millwright.edge.link.CentralIngestBroker;
import io.millwright.edge.link.CentralIngestProperties;
import io.millwright.edge.link.EdgeLink;
import io.millwright.edge.link.EdgeLinkBroker;
import io.millwright.edge.link.EdgeLinkProperties;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.MachineState;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.util.unit.DataSize;

/**
 * Store-and-forward benchmark (issue #7), not a test. Two parts, chosen with {@code --only drain|rss}:
 * <ul>
 *   <li><b>drain</b>: an edge and a central Artemis (the hub's embedded broker with the link's
 *       configuration) on free ports and temporary folders. The central is down while the edge's
 *       sender (the hub's own {@link ArtemisEventSender}) publishes N machine-state events in
 *       batches of 100; then the central starts and the time until a consumer on its ingress queue
 *       has all N is the drain rate. Beside it, in the same run and on the same central broker, a bare
 *       Artemis core JMS producer and consumer move N persistent messages of the same size through
 *       a queue (transacted batches of 100): the broker's own rate, the baseline.</li>
 *   <li><b>rss</b>: starts the packaged hub ({@code target/millwright-*.jar}) with
 *       {@code --spring.profiles.active=edge}, free ports and a temporary data folder, through the
 *       launcher {@code scripts/millwright} (its edge JVM options; {@code --heap} and {@code --jvm} go to
 *       {@code MILLWRIGHT_HEAP} and {@code MILLWRIGHT_JAVA_OPTS}, class data sharing off) or, with
 *       {@code --launcher off}, as {@code java -Xmx<heap> <jvm> -jar}; waits until
 *       {@code /actuator/health/readiness} answers 200, lets it idle a few seconds and reads VmRSS, and the
 *       CPU time the process used during the idle window (with the simulated plant on: the plant's load).
 *       {@code --sim apart}: the simulated plant in a process of its own ({@code scripts/millwright-sim}, as
 *       the README's edge demo runs it), the edge connected to it over OPC UA (the edge profile's default);
 *       after the window the connection's values received, from {@code /api/connections/plant-sim}.</li>
 * </ul>
 * Options: {@code --events 20000 --heap 256m --idle 10s --jvm "<more JVM options>" --env "NAME=value ..." --sim on|off|apart
 * --launcher on|off --beside shipped}. {@code --env} sets environment variables of the measured edge's launcher (e.g.
 * {@code MALLOC_ARENA_MAX=1}). {@code --beside shipped} starts a second edge at the same time, through the launcher as
 * shipped (no {@code --heap}, {@code --jvm} or {@code --env}), and prints its figures first: the baseline of the same
 * minutes and the same machine load. The 5-minute outage figure of docs/benchmarks.md is
 * {@code --only rss --sim apart --idle 300s --beside shipped}: the edge's central is an unused port, so for the whole
 * run its events wait in the buffer.
 * See docs/benchmarks.md.
 */
public final class EdgeLinkBenchmark {

    /** The measured edge's admin, for reading its connection's status. */
    static final String ADMIN_PASSWORD = "bench-admin-" + java.util.UUID.randomUUID();


    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(option(args, "--events", "20000"));
        String only = option(args, "--only", "");
        System.out.println("load average before: " + loadAverage());
        if (!only.equals("rss")) {
            drain(events);
        }
        if (!only.equals("drain")) {
            boolean launcher = option(args, "--launcher", "on").equals("on");
            Duration idle = Duration.parse("PT" + option(args, "--idle", "10s").toUpperCase());
            String sim = option(args, "--sim", "on");
            Map<String, String> env = new LinkedHashMap<>();
            for (String pair : option(args, "--env", "").trim().split("\\s+")) {
                if (!pair.isEmpty()) {
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            ExecutorService edges = Executors.newFixedThreadPool(2);
            Future<String> baseline = option(args, "--beside", "").equals("shipped")
                    ? edges.submit(() -> rss("", idle, "", Map.of(), sim, true)) : null;
            Future<String> measured = edges.submit(() -> rss(option(args, "--heap", launcher ? "" : "256m"), idle,
                    option(args, "--jvm", ""), env, sim, launcher));
            if (baseline != null) {
                System.out.print("baseline, the launcher as shipped, same minutes: " + baseline.get());
            }
            System.out.print("measured: " + measured.get());
            edges.shutdown();
        }
        System.out.println("load average after: " + loadAverage());
        System.exit(0);
    }

    static void drain(int events) throws Exception {
        Path root = Files.createTempDirectory("mw-bench-edge");
        int centralPort = FreePorts.next();
        EmbeddedArtemisBroker central = new EmbeddedArtemisBroker("127.0.0.1", centralPort, root.resolve("central"), HUB, MES,
                List.of(new CentralIngestBroker(new CentralIngestProperties("edge", EDGE_PASSWORD, 100_000))));
        EdgeLinkProperties link = new EdgeLinkProperties("tcp://127.0.0.1:" + centralPort, "edge", EDGE_PASSWORD,
                Duration.ofMillis(200), Duration.ofMillis(500), DataSize.ofMegabytes(1),
                new EdgeLinkProperties.Buffer(DataSize.ofMegabytes(10), DataSize.ofGigabytes(1), 1_000_000, Duration.ZERO,
                        EdgeLinkProperties.FullPolicy.DROP_OLDEST),
                new EdgeLinkProperties.Tls("", "", "PKCS12", true));
        EmbeddedArtemisBroker edge = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), root.resolve("edge"), HUB, MES,
                List.of(new EdgeLinkBroker(link)));
        edge.start();
        ArtemisEventSender sender = sender(edge);

        // 1. the central is down: the edge buffers
        byte[] sample = null;
        long began = System.nanoTime();
        for (int sent = 0; sent < events; sent += 100) {
            List<OutgoingEvent> batch = new ArrayList<>(100);
            for (int i = 0; i < 100 && sent + i < events; i++) {
                batch.add(state("acme/plant-1/press/line-" + (i % 4) + "/cell-" + (i % 7)));
            }
            sample = batch.get(0).json();
            sender.send(batch);
        }
        double buffering = events / seconds(began);
        long buffered = edge.server().locateQueue(SimpleString.of(EdgeLink.OUTBOX)).getMessageCount();

        // 2. the central comes back: time until its ingress consumer has every event
        central.start();
        long drainStart = System.nanoTime();
        int drained = consume(central, EdgeLink.INGRESS, events, Duration.ofMinutes(10));
        double drainRate = drained / seconds(drainStart);
        System.out.printf("drained %d of %d events at %.0f events/s%n", drained, events, drainRate);

        // 3. baseline: Artemis's own producer and consumer, same size, same central broker
        double baseline = bareRate(central, sample, events);

        sender.destroy();
        edge.close();
        central.close();
        System.out.printf("message size: %d bytes (machine-state CloudEvents JSON), events: %d, buffered during outage: %d%n",
                sample.length, events, buffered);
        System.out.printf("%-62s %12s%n", "figure", "events/s");
        System.out.printf("%-62s %12.0f%n", "edge buffering while the central is down (hub sender -> outbox)", buffering);
        System.out.printf("%-62s %12.0f%n", "store-and-forward drain after the outage (bridge -> consumer)", drainRate);
        System.out.printf("%-62s %12.0f%n", "bare Artemis core JMS producer -> queue -> consumer (baseline)", baseline);
        System.out.printf("drain / baseline: %.2f%n", drainRate / baseline);
        if (drained != events) {
            System.out.println("WARNING: drained " + drained + " of " + events);
        }
    }

    static int consume(EmbeddedArtemisBroker broker, String queue, int expected, Duration timeout) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.acceptorUri(), HUB.user(), HUB.password());
                Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            long deadline = System.nanoTime() + timeout.toNanos();
            int received = 0;
            while (received < expected && System.nanoTime() < deadline) {
                if (consumer.receive(1000) != null) {
                    received++;
                    if (received % 100 == 0) {
                        session.commit();
                    }
                }
            }
            session.commit();
            return received;
        }
    }

    static double bareRate(EmbeddedArtemisBroker broker, byte[] body, int events) throws Exception {
        String queue = "bench.baseline";
        long began = System.nanoTime();
        Thread producer = new Thread(() -> {
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.acceptorUri(), HUB.user(), HUB.password())) {
                // like the hub's sender: inside a transaction the commit is the round trip
                factory.setBlockOnDurableSend(false);
                Connection connection = factory.createConnection();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer out = session.createProducer(session.createQueue(queue));
                for (int i = 0; i < events; i++) {
                    BytesMessage message = session.createBytesMessage();
                    message.writeBytes(body);
                    out.send(message, DeliveryMode.PERSISTENT, 4, 0);
                    if (i % 100 == 99) {
                        session.commit();
                    }
                }
                session.commit();
                connection.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.start();
        int received = consume(broker, queue, events, Duration.ofMinutes(10));
        producer.join();
        return received / seconds(began);
    }

    /**
     * @param jvm further JVM options, space-separated (e.g. {@code -XX:+UseSerialGC -XX:TieredStopAtLevel=1})
     * @param env environment variables of the edge's process (its launcher's), e.g. {@code MALLOC_ARENA_MAX}
     * @param sim {@code on}: the simulated plant's OPC UA server in the edge's JVM; {@code apart}: in a process of
     *     its own that the edge connects to; {@code off}: no plant and no connection to one
     * @return the figures, one line each
     */
    static String rss(String heap, Duration idle, String jvm, Map<String, String> env, String sim, boolean launcher) throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("millwright-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/millwright-*.jar; run ./mvnw -B -DskipTests package"));
        }
        Path data = Files.createTempDirectory("mw-bench-edge-rss");
        int http = FreePorts.next();
        List<String> command = new ArrayList<>();
        if (launcher) {
            command.add(Path.of("scripts", "millwright").toString());
        } else {
            command.addAll(List.of(javaExecutable(), "-Xmx" + heap, "-XX:MaxDirectMemorySize=256m"));
            if (!jvm.isBlank()) {
                command.addAll(List.of(jvm.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString()));
        }
        int plantPort = FreePorts.next();
        command.addAll(List.of("--spring.profiles.active=edge",
                "--millwright.data-dir=" + data, "--server.port=" + http,
                "--millwright.artemis.port=" + FreePorts.next(), "--millwright.sim.opcua.port=" + plantPort,
                "--millwright.sim.opcua.enabled=" + sim.equals("on"), "--millwright.sim.opcua.connect=" + !sim.equals("off"),
                "--millwright.edge.central-url=tcp://127.0.0.1:" + FreePorts.next()));
        Process plant = sim.equals("apart") ? startPlant(jar, plantPort, data) : null;
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(data.resolve("hub.out").toFile());
        builder.environment().put("MILLWRIGHT_EDGE_PASSWORD", EDGE_PASSWORD);
        builder.environment().put("MILLWRIGHT_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(env);
        if (launcher) {
            builder.environment().put("MILLWRIGHT_JAR", jar.toString());
            builder.environment().put("MILLWRIGHT_CDS", "off");
            builder.environment().put("MILLWRIGHT_JAVA_OPTS", jvm.trim());
            if (!heap.isBlank()) {
                builder.environment().put("MILLWRIGHT_HEAP", heap);
            }
        }
        long began = System.nanoTime();
        Process hub = builder.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
            int status = 0;
            while (status != 200 && hub.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    status = 0;
                }
                if (status != 200) {
                    Thread.sleep(500); // a poll interval for a child process, not a test wait
                }
            }
            if (status != 200) {
                throw new IllegalStateException("edge hub not ready; see " + data.resolve("hub.out"));
            }
            double readySeconds = seconds(began);
            long atReady = vmRssKib(hub.pid());
            long cpuBefore = cpuTicks(hub.pid());
            long idleBegan = System.nanoTime();
            Thread.sleep(idle.toMillis()); // idle on purpose: the figure is the settled footprint
            long settled = vmRssKib(hub.pid());
            double cpuPercent = (cpuTicks(hub.pid()) - cpuBefore) / 100.0 / seconds(idleBegan) * 100;
            String how = launcher ? "scripts/millwright" + (heap.isBlank() ? "" : " MILLWRIGHT_HEAP=" + heap)
                    + (jvm.isBlank() ? "" : " MILLWRIGHT_JAVA_OPTS=\"" + jvm.trim() + "\"")
                    : "java -Xmx" + heap + (jvm.isBlank() ? "" : " " + jvm.trim()) + " -jar";
            how = (env.isEmpty() ? "" : env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(" ", "", " "))) + how;
            StringBuilder figures = new StringBuilder(String.format("edge profile (%s, --spring.profiles.active=edge, simulated plant %s): ready in %.1f s,"
                    + " VmRSS at ready %d MiB, after %d s idle %d MiB (target <= 300 MiB); CPU %.1f %% of one core during"
                    + " the idle window; %s threads%n",
                    how, sim, readySeconds, atReady / 1024, idle.toSeconds(), settled / 1024, cpuPercent,
                    procStatus(hub.pid(), "Threads:")));
            if (plant != null) {
                figures.append(String.format("simulated plant apart (scripts/millwright-sim): VmRSS %d MiB; the edge's connection plant-sim: %s%n",
                        vmRssKib(plant.pid()) / 1024, connectionStatus(client, http)));
            }
            return figures.toString();
        } finally {
            if (plant != null) {
                plant.destroy();
                plant.waitFor(30, TimeUnit.SECONDS);
            }
            hub.destroy();
            if (!hub.waitFor(30, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    /** The simulated plant alone, as the README's edge demo starts it; returns once its OPC UA port listens. */
    static Process startPlant(Path jar, int port, Path data) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of("scripts", "millwright-sim").toString(),
                "--millwright.sim.opcua.port=" + port, "--millwright.data-dir=" + data.resolve("plant"))
                .redirectErrorStream(true).redirectOutput(data.resolve("plant.out").toFile());
        builder.environment().put("MILLWRIGHT_JAR", jar.toString());
        Process plant = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (plant.isAlive() && System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return plant;
            } catch (IOException notYet) {
                Thread.sleep(500); // a poll interval for a child process, not a test wait
            }
        }
        plant.destroyForcibly();
        throw new IllegalStateException("simulated plant not listening on " + port + "; see " + data.resolve("plant.out"));
    }

    /** The edge's view of its OPC UA connection to the plant: state and values received (provisioning API). */
    static String connectionStatus(HttpClient client, int http) throws Exception {
        String credentials = java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/connections/plant-sim"))
                .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return status.statusCode() + " " + status.body();
    }

    /** utime + stime of the process in clock ticks (100 per second on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static String procStatus(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return "?";
    }

    static long vmRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    static OutgoingEvent state(String asset) throws Exception {
        return EdgeLinkFixtures.machineState(asset, MachineState.RUNNING);
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private EdgeLinkBenchmark() {}
}
