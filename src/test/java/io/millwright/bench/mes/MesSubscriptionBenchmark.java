package io.millwright.bench.mes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.MesProperties;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.subscriptions.SubscriptionsBenchAccess;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/**
 * MES subscription benchmark (issue #9), all in one JVM on an embedded Artemis with the hub's own
 * classes: events/s published by the hub's {@link ArtemisEventSender} and delivered to 1, 10 and 50
 * queue subscriptions (broker diverts, one Core JMS consumer per subscription draining meanwhile),
 * beside the baseline measured in the same run: a bare Core JMS producer (persistent, transacted
 * batches of the same size) and consumer on one plain queue with messages of the same size; and
 * webhook deliveries/s to a local HTTP receiver. Not a test: run by scripts/benchmark-mes.sh.
 */
public final class MesSubscriptionBenchmark {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        int events = intArg(args, "--events", 2000);
        int webhookEvents = intArg(args, "--webhook-events", 500);
        List<Integer> subscriptions = new ArrayList<>();
        for (String k : stringArg(args, "--subscriptions", "1,10,50").split(",")) {
            subscriptions.add(Integer.parseInt(k.trim()));
        }
        List<OutgoingEvent> payload = events(events);
        int size = payload.stream().mapToInt(e -> e.json().length).sum() / payload.size();
        System.out.printf("MES subscription benchmark: %d machine-state events of %d bytes (average), batches of %d%n",
                events, size, BATCH);
        System.out.println("load before: " + uptime());

        double perf = artemisPerf(payload.size(), size);
        double bare = bare(payload);
        System.out.printf("%-44s %12s %16s %10s %10s%n", "run", "events/s", "deliveries/s", "vs perf", "vs bare");
        System.out.printf("%-44s %12.0f %16.0f %10s %10.2f%n", "artemis perf client (persistent, tx 100)", perf, perf, "1.00",
                perf / bare);
        System.out.printf("%-44s %12.0f %16.0f %10.2f %10s%n", "bare Core JMS producer -> 1 queue -> consumer", bare, bare,
                bare / perf, "1.00");
        for (int k : subscriptions) {
            double rate = hub(payload, k);
            System.out.printf("%-44s %12.0f %16.0f %10.2f %10.2f%n", "hub sender -> " + k + " subscription queue(s)", rate,
                    rate * k, rate / perf, rate / bare);
        }
        double webhook = webhook(events(webhookEvents));
        System.out.printf("%-44s %12.0f %16.0f %10s %10s%n", "hub sender -> 1 webhook subscription (HTTP)", webhook, webhook,
                "-", "-");
        System.out.println("load after: " + uptime());
    }

    /**
     * Artemis's own baseline: {@code artemis perf client} (artemis-cli of the broker's version, in a JVM
     * of its own; classpath from bench/artemis-cli/pom.xml, resolved by the script) sends {@code count}
     * persistent bytes messages of {@code size} bytes in transactions of {@value #BATCH} to one queue and
     * receives them with one consumer. Rate = messages received / time from its first send to its last
     * receive, read from its JSON report (per-second samples, then a summary).
     */
    static double artemisPerf(int count, int size) throws Exception {
        Path classpath = Path.of("target/artemis-cli-classpath.txt");
        if (!Files.exists(classpath)) {
            throw new IllegalStateException(classpath + " is missing: run this benchmark with scripts/benchmark-mes.sh");
        }
        try (Broker b = new Broker()) {
            Path report = b.dir.resolve("perf-report.json");
            Process perf = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", Files.readString(classpath).trim(), "org.apache.activemq.artemis.cli.Artemis",
                    "perf", "client", "--url", b.broker.acceptorUri(), "--persistent", "--tx",
                    "--commit-interval", String.valueOf(BATCH), "--message-count", String.valueOf(count),
                    "--message-size", String.valueOf(size), "--json", report.toString(), "--silent", "queue://bench.perf")
                    .redirectErrorStream(true).redirectOutput(b.dir.resolve("perf.log").toFile()).start();
            if (!perf.waitFor(10, TimeUnit.MINUTES) || perf.exitValue() != 0) {
                perf.destroyForcibly();
                throw new IllegalStateException("artemis perf client failed: " + Files.readString(b.dir.resolve("perf.log")));
            }
            com.fasterxml.jackson.databind.JsonNode samples = JSON.readTree(report.toFile());
            long first = -1;
            long end = -1;
            long received = 0;
            for (com.fasterxml.jackson.databind.JsonNode sample : samples) {
                if ("interval".equals(sample.path("sampleType").asText()) && first < 0) {
                    first = sample.path("time").asLong() - 1000; // a sample closes a one-second interval
                }
                if ("summary".equals(sample.path("sampleType").asText())) {
                    end = sample.path("time").asLong();
                    received = sample.path("totalReceived").asLong();
                }
            }
            if (received != count || end < 0) {
                throw new IllegalStateException("artemis perf client received " + received + " of " + count + ": " + samples);
            }
            long start = first < 0 ? end - 1000 : first;
            return received / ((end - start) / 1000.0);
        }
    }

    /** Bare baseline: persistent bytes messages of the same bodies, committed per batch, one consumer. */
    static double bare(List<OutgoingEvent> payload) throws Exception {
        try (Broker b = new Broker()) {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(b.broker.acceptorUri());
            try (Connection connection = factory.createConnection()) {
                connection.start();
                Session consumerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = consumerSession.createConsumer(consumerSession.createQueue("bench.bare"));
                CountDownLatch received = new CountDownLatch(payload.size());
                consumer.setMessageListener(m -> received.countDown());
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer producer = session.createProducer(session.createQueue("bench.bare"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                long start = System.nanoTime();
                for (int i = 0; i < payload.size(); i++) {
                    var message = session.createBytesMessage();
                    message.writeBytes(payload.get(i).json());
                    producer.send(message);
                    if ((i + 1) % BATCH == 0) {
                        session.commit();
                    }
                }
                session.commit();
                await(received, "bare consumer");
                return payload.size() / seconds(start);
            }
        }
    }

    /** The hub's sender to the event address, k subscription queues fed by diverts, one consumer per queue. */
    static double hub(List<OutgoingEvent> payload, int k) throws Exception {
        try (Broker b = new Broker()) {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(b.broker.acceptorUri());
            CountDownLatch received = new CountDownLatch(payload.size() * k);
            List<Connection> consumers = new ArrayList<>();
            try {
                for (int i = 0; i < k; i++) {
                    String name = "bench-" + i;
                    SubscriptionsBenchAccess.queueSubscription(b.broker.acceptorUri(), name);
                    Connection connection = factory.createConnection();
                    consumers.add(connection);
                    connection.start();
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    session.createConsumer(session.createQueue("millwright.subscriptions." + name))
                            .setMessageListener(m -> received.countDown());
                }
                ArtemisEventSender sender = sender(b.broker);
                try {
                    long start = System.nanoTime();
                    for (int i = 0; i < payload.size(); i += BATCH) {
                        sender.send(payload.subList(i, Math.min(payload.size(), i + BATCH)));
                    }
                    await(received, k + " subscription consumers");
                    return payload.size() / seconds(start);
                } finally {
                    sender.destroy();
                }
            } finally {
                for (Connection c : consumers) {
                    c.close();
                }
            }
        }
    }

    /** One webhook subscription POSTing to a local receiver that answers 204. */
    static double webhook(List<OutgoingEvent> payload) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger count = new AtomicInteger();
        CountDownLatch received = new CountDownLatch(payload.size());
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            count.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            received.countDown();
        });
        receiver.start();
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        try (Broker b = new Broker();
                AutoCloseable hook = SubscriptionsBenchAccess.webhookSubscription(b.broker.acceptorUri(), db, "bench-hook",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "bench-secret-0123456789")) {
            ArtemisEventSender sender = sender(b.broker);
            try {
                long start = System.nanoTime();
                for (int i = 0; i < payload.size(); i += BATCH) {
                    sender.send(payload.subList(i, Math.min(payload.size(), i + BATCH)));
                }
                await(received, "webhook receiver");
                return payload.size() / seconds(start);
            } finally {
                sender.destroy();
            }
        } finally {
            receiver.stop(0);
        }
    }

    static List<OutgoingEvent> events(int count) throws Exception {
        List<OutgoingEvent> events = new ArrayList<>(count);
        MachineState[] states = MachineState.values();
        for (int i = 0; i < count; i++) {
            String asset = "acme/springfield/assembly/line-" + (i % 3 + 1) + "/machine-" + (i % 10 + 1);
            EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://bench", asset, Instant.now(), null,
                    new MachineStateChanged(states[i % states.length], states[(i + 1) % states.length], "1000011", "0010"));
            events.add(new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope)));
        }
        return events;
    }

    static ArtemisEventSender sender(EmbeddedArtemisBroker broker) {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        return new ArtemisEventSender(artemis, new MesProperties("127.0.0.1:1", 3, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH));
    }

    /** A fresh embedded Artemis (journal on disk, as the hub runs it) in a temporary directory. */
    static final class Broker implements AutoCloseable {
        final Path dir;
        final EmbeddedArtemisBroker broker;

        Broker() throws Exception {
            dir = Files.createTempDirectory("mes-bench-");
            broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dir);
            broker.start();
        }

        @Override
        public void close() throws Exception {
            broker.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + " did not receive everything within 10 min; missing " + latch.getCount());
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(fallback)));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
