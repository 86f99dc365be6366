package io.millwright.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
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
 * <p>Security: built with {@link KafkaUsers} (the hub always does), the client listener speaks
 * SASL (over TLS too when built with a {@link TlsKeystore}) and {@code StandardAuthorizer}
 * checks ACLs; there is no unauthenticated listener. Consumers log in with SCRAM-SHA-256. The
 * hub's user is the only super user; its SCRAM credential and the consumers' are written into
 * the cluster metadata at every start (so a changed or regenerated password takes effect), and
 * the consumers get READ and DESCRIBE on {@value #EVENT_TOPICS} and {@value
 * #SUBSCRIPTION_TOPICS} topics and READ on every consumer group: they can never produce. The
 * hub's user may also log in with PLAIN, checked against the password it was started with
 * (never stored): that is how the broker talks to its own controller and how the hub logs in
 * before the SCRAM credentials are written. Without users the broker is PLAINTEXT with no
 * authorizer (tests of the broker alone).
 *
 * <p>Kafka calls {@code Exit.halt} on fatal faults, which would end the hub without running its
 * shutdown hooks and with no line in our log. This class replaces Kafka's exit and halt
 * procedures JVM-wide with one that logs at ERROR and marks the broker failed ({@link
 * #failure()}, reported by the health endpoint), leaving the JVM running; they stay replaced
 * after {@link #close()}.
 */
public class EmbeddedKraftKafka implements AutoCloseable {

    static final int NODE_ID = 1;
    /** Topic prefix of the hub's events, readable by the consumers' user. */
    public static final String EVENT_TOPICS = "millwright.events.";
    /** Topic prefix of per-subscriber topics, readable by the consumers' user. */
    public static final String SUBSCRIPTION_TOPICS = "millwright.subscriptions.";
    static final String CLIENT_LISTENER = "CLIENT";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** The log cleaner's dedupe buffer (on the heap); see {@link #commonProperties()}. */
    static final long DEDUPE_BUFFER_BYTES = 16L << 20;
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKraftKafka.class);

    private final String bindAddress;
    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final int partitions;
    private final KafkaUsers users;
    private final TlsKeystore tls;
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
        this(bindAddress, port, controllerPort, dataDir, partitions, null, null);
    }

    /**
     * A broker that authenticates every client ({@code users} not null) and, with a key store,
     * serves its client and controller listeners over TLS.
     *
     * @param users the hub's and the consumers' users; null = PLAINTEXT without authorization
     * @param tls key store of the listeners; null = no TLS
     */
    public EmbeddedKraftKafka(String bindAddress, int port, int controllerPort, Path dataDir, int partitions,
            KafkaUsers users, TlsKeystore tls) {
        this.users = users;
        this.tls = tls;
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
            if (users != null) {
                grantUsers();
                awaitScramLogin();
            }
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
                "Kafka broker started bootstrap={} protocol={} controller={}:{} clusterId={} dataDir={}"
                        + " formatMillis={} startMillis={}",
                bootstrapServers(),
                securityProtocol(),
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

    /**
     * The client listener's protocol: {@code SASL_PLAINTEXT} or {@code SASL_SSL} with users,
     * {@code PLAINTEXT} or {@code SSL} without.
     */
    public String securityProtocol() {
        if (users == null) {
            return tls == null ? "PLAINTEXT" : "SSL";
        }
        return tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
    }

    /**
     * Settings for a client of this broker logged in as the hub's user (the broker's own admin
     * client; tests). With TLS the client trusts the broker's key store.
     */
    public Map<String, Object> hubClientSettings() {
        Map<String, Object> settings = new HashMap<>();
        if (users != null) {
            // PLAIN: checked against the start-up password, valid before the SCRAM credentials are written
            settings.put(org.apache.kafka.clients.CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol());
            settings.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            settings.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaUsers.jaas(PLAIN_LOGIN, users.hubUser(), users.hubPassword()));
        } else if (tls != null) {
            settings.put(org.apache.kafka.clients.CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol());
        }
        if (tls != null) {
            settings.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.path().toString());
            settings.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
            settings.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, tls.type());
        }
        return settings;
    }

    Properties brokerProperties() {
        Properties p = users == null && tls == null ? plaintextProperties() : securedProperties();
        p.putAll(commonProperties());
        return p;
    }

    private Properties plaintextProperties() {
        Properties p = new Properties();
        p.putAll(Map.of(
                "listeners", "PLAINTEXT://" + bindAddress + ":" + port + ",CONTROLLER://" + bindAddress + ":" + controllerPort,
                "advertised.listeners", "PLAINTEXT://" + bootstrapServers(),
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "PLAINTEXT"));
        return p;
    }

    private Properties securedProperties() {
        String client = CLIENT_LISTENER.toLowerCase(java.util.Locale.ROOT);
        String controllerProtocol = users == null ? "SSL" : (tls == null ? "SASL_PLAINTEXT" : "SASL_SSL");
        Properties p = new Properties();
        p.put("listeners", CLIENT_LISTENER + "://" + bindAddress + ":" + port + ",CONTROLLER://" + bindAddress + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + bootstrapServers());
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":" + securityProtocol() + ",CONTROLLER:" + controllerProtocol);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        if (users != null) {
            String hubPlain = PLAIN_LOGIN + " required username=\"" + KafkaUsers.quoted(users.hubUser())
                    + "\" password=\"" + KafkaUsers.quoted(users.hubPassword()) + "\" user_" + users.hubUser()
                    + "=\"" + KafkaUsers.quoted(users.hubPassword()) + "\";";
            p.put("listener.name." + client + ".sasl.enabled.mechanisms", KafkaUsers.MECHANISM + ",PLAIN");
            p.put("listener.name." + client + ".scram-sha-256.sasl.jaas.config", SCRAM_LOGIN + " required;");
            p.put("listener.name." + client + ".plain.sasl.jaas.config", hubPlain);
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.controller.plain.sasl.jaas.config", hubPlain);
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + users.hubUser());
            p.put("allow.everyone.if.no.acl.found", "false");
        }
        if (tls != null) {
            p.put("ssl.keystore.location", tls.path().toString());
            p.put("ssl.keystore.password", tls.password());
            p.put("ssl.key.password", tls.password());
            p.put("ssl.keystore.type", tls.type());
            // the broker's own connections (to its controller, to itself) trust its certificate
            p.put("ssl.truststore.location", tls.path().toString());
            p.put("ssl.truststore.password", tls.password());
            p.put("ssl.truststore.type", tls.type());
        }
        return p;
    }

    private Properties commonProperties() {
        String quorumHost = isWildcard(bindAddress) ? "127.0.0.1" : bindAddress;
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + quorumHost + ":" + controllerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
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
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // the log cleaner (it compacts __consumer_offsets) takes its dedupe buffer on the
                // heap, 128 MB by default: a quarter of the hub's 512 MB heap, found in a heap dump
                // of a hub that fell behind under load. 16 MB holds some 600,000 distinct keys; the
                // hub's compacted topics hold a few hundred (group, topic, partition) offsets
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(DEDUPE_BUFFER_BYTES))));
        return p;
    }

    private Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> config = new HashMap<>(hubClientSettings());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** Writes both users' SCRAM credentials and the consumers' ACLs (idempotent: same bindings, new salt). */
    private void grantUsers() throws Exception {
        try (Admin admin = Admin.create(adminConfig("millwright-embedded-kafka-users"))) {
            ScramCredentialInfo scram = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, SCRAM_ITERATIONS);
            admin.alterUserScramCredentials(List.of(
                            new UserScramCredentialUpsertion(users.hubUser(), scram, users.hubPassword()),
                            new UserScramCredentialUpsertion(users.mesUser(), scram, users.mesPassword())))
                    .all()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String mes = "User:" + users.mesUser();
            admin.createAcls(List.of(
                            allow(ResourceType.TOPIC, EVENT_TOPICS, PatternType.PREFIXED, mes, AclOperation.READ),
                            allow(ResourceType.TOPIC, EVENT_TOPICS, PatternType.PREFIXED, mes, AclOperation.DESCRIBE),
                            allow(ResourceType.TOPIC, SUBSCRIPTION_TOPICS, PatternType.PREFIXED, mes, AclOperation.READ),
                            allow(ResourceType.TOPIC, SUBSCRIPTION_TOPICS, PatternType.PREFIXED, mes, AclOperation.DESCRIBE),
                            // any group name: each MES picks its own (READ includes DESCRIBE)
                            allow(ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL, mes, AclOperation.READ)))
                    .all()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Waits until the broker accepts the hub's SCRAM login: the credentials written by
     * {@link #grantUsers()} reach the broker's metadata a moment after the controller took them, and
     * a client that logs in before (the event topics' creation at start-up did) is refused.
     */
    private void awaitScramLogin() throws Exception {
        Map<String, Object> scram = new HashMap<>(adminConfig("millwright-embedded-kafka-login"));
        scram.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
        scram.put(SaslConfigs.SASL_JAAS_CONFIG,
                KafkaUsers.jaas(SCRAM_LOGIN, users.hubUser(), users.hubPassword()));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try (Admin admin = Admin.create(scram)) {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.SaslAuthenticationException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(adminConfig("millwright-embedded-kafka-readiness"))) {
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
