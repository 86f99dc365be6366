package io.millwright.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 3.9 broker in KRaft mode (broker and controller in one process, node id 1)
 * running in the hub's JVM with its log under {@code <dataDir>/kafka}.
 *
 * <p>{@link #start()} formats the storage directory on first use (and keeps the cluster id it
 * finds there on later starts: Kafka's formatter refuses a formatted directory unless told to
 * ignore it), starts {@link KafkaRaftServer} and returns only once an admin client sees the
 * broker, so producers created afterwards don't spin on metadata.
 *
 * <p>Kafka calls {@code Exit.halt} on fatal faults, which would end the hub without running its
 * shutdown hooks and with no line in our log. This class replaces Kafka's exit and halt
 * procedures JVM-wide with one that logs at ERROR and marks the broker failed ({@link
 * #failure()}, reported by the health endpoint), leaving the JVM running; they stay replaced
 * after {@link #close()}.
 */
public class EmbeddedKraftKafka implements AutoCloseable {

    static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKraftKafka.class);

    private final String bindAddress;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final int partitions;
    private KafkaRaftServer server;
    private volatile String failure;

    /**
     * @param bindAddress address both listeners bind to; advertised to clients as is unless it is
     *     a wildcard, then this host's name is advertised
     * @param port PLAINTEXT (client) port
     * @param controllerPort CONTROLLER (KRaft quorum) port
     * @param dataDir the broker keeps its log in {@code <dataDir>/kafka} (created when missing)
     * @param partitions partitions of auto-created topics
     */
    public EmbeddedKraftKafka(String bindAddress, int port, int controllerPort, Path dataDir, int partitions) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.partitions = partitions;
    }

    /** Formats the log directory if needed, starts the broker and waits until it serves clients. */
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        installExitGuard(this);
        long began = System.nanoTime();
        Path logDir = logDir();
        Files.createDirectories(logDir);
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        String clusterId = existingClusterId(logDir).orElseGet(() -> Uuid.randomUuid().toString());
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(clusterId)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(config.metadataLogDir())
                .addDirectory(logDir.toString())
                // a restart with kept data must not fail with "already formatted" (REFERENCE §6.4)
                .setIgnoreFormatted(true)
                .run();
        long formatted = System.nanoTime();
        KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raft.startup();
            awaitReady();
        } catch (Exception | Error e) {
            shutdownQuietly(raft);
            throw new IllegalStateException(
                    "Kafka broker could not start on " + bootstrapServers() + " (controller port "
                            + controllerPort + ") with data in " + logDir + ": " + e.getMessage()
                            + "; is a port in use? Set millwright.kafka.port and"
                            + " millwright.kafka.controller-port, or millwright.kafka.embedded=false"
                            + " to use an external cluster",
                    e);
        }
        server = raft;
        failure = null;
        long ready = System.nanoTime();
        log.info(
                "Kafka broker started bootstrap={} controller={}:{} clusterId={} dataDir={}"
                        + " formatMillis={} startMillis={}",
                bootstrapServers(),
                bindAddress,
                controllerPort,
                clusterId,
                logDir,
                TimeUnit.NANOSECONDS.toMillis(formatted - began),
                TimeUnit.NANOSECONDS.toMillis(ready - began));
    }

    /** Shuts the broker down and waits for it; the log stays on disk for the next start. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        log.info("Kafka broker stopped bootstrap={}", bootstrapServers());
    }

    /** Client bootstrap address, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return advertisedHost() + ":" + port;
    }

    public Path logDir() {
        return dataDir.resolve("kafka");
    }

    /** Whether the broker is started and has not hit a fatal fault. */
    public boolean isRunning() {
        synchronized (this) {
            return server != null && failure == null;
        }
    }

    /** The fatal fault Kafka reported (it asked to halt the JVM), if any. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    Properties brokerProperties() {
        String quorumHost = isWildcard(bindAddress) ? "127.0.0.1" : bindAddress;
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + quorumHost + ":" + controllerPort),
                Map.entry("listeners",
                        "PLAINTEXT://" + bindAddress + ":" + port + ",CONTROLLER://" + bindAddress + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrapServers()),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir().toString()),
                // one node: every internal topic and every write has a single replica
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("num.partitions", String.valueOf(partitions)),
                // no other member will ever join late; don't hold the first consumer 3 s
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        return p;
    }

    private void awaitReady() throws Exception {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "millwright-embedded-kafka-readiness");
        try (Admin admin = Admin.create(adminConfig)) {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()))
                    .nodes()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            if (nodes != 1) {
                throw new IllegalStateException("expected one broker in the cluster, found " + nodes);
            }
        }
    }

    private String advertisedHost() {
        if (!isWildcard(bindAddress)) {
            return bindAddress;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    private static Optional<String> existingClusterId(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        }
        return Optional.ofNullable(props.getProperty("cluster.id"));
    }

    private static void shutdownQuietly(KafkaRaftServer raft) {
        try {
            raft.shutdown();
            raft.awaitShutdown();
        } catch (RuntimeException stopFailure) {
            log.warn("Kafka broker did not stop cleanly after a failed start", stopFailure);
        }
    }

    private static void installExitGuard(EmbeddedKraftKafka broker) {
        Exit.Procedure guard = (status, message) -> {
            broker.failure = "Kafka requested JVM exit status=" + status + " reason=" + message;
            log.error(
                    "Embedded Kafka broker hit a fatal fault and asked to end the JVM status={} reason={};"
                            + " the hub keeps running without Kafka: fix the cause (see the errors above,"
                            + " often the disk under {}) and restart the hub",
                    status,
                    message,
                    broker.logDir());
        };
        Exit.setExitProcedure(guard);
        Exit.setHaltProcedure(guard);
    }
}
