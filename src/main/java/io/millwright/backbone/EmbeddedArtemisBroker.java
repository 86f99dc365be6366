package io.millwright.backbone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.postoffice.Bindings;
import org.apache.activemq.artemis.core.postoffice.impl.PostOfficeImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.activemq.artemis.utils.critical.CriticalAnalyzerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ActiveMQ Artemis broker running in the hub's JVM, with one TCP acceptor that speaks CORE
 * (JMS), AMQP 1.0, MQTT 3.1.1/5 and STOMP, a persistent NIO journal under {@code
 * <dataDir>/artemis}, and security on when built with users (the hub's configuration always
 * does): anonymous clients are refused; the {@value #HUB_ROLE} role (the hub's own user) may do
 * everything but manage; the {@value #MES_ROLE} role (consumers: MES, subscribers) may consume,
 * browse and create or delete its own queues and create addresses, but never send, so no client
 * can forge an event. Users and passwords live in memory only (no file).
 *
 * <p>Event addresses {@code millwright.events.#} are multicast (publish/subscribe, the JMS topic
 * and MQTT model); every address gets a dead-letter and an expiry address with auto-created
 * queues, because without a dead-letter address Artemis drops a message after {@code
 * max-delivery-attempts}. Full addresses page to disk instead of blocking producers.
 *
 * <p>Spring calls {@link #start()} while creating the bean, so the acceptor listens before Camel
 * starts its routes, and {@link #close()} while destroying singletons, which is after Camel's
 * lifecycle stop (see {@code BackboneConfiguration}).
 */
public class EmbeddedArtemisBroker implements AutoCloseable {

    /** Protocols on the acceptor; each needs its artemis-*-protocol module on the classpath. */
    public static final String PROTOCOLS = "CORE,AMQP,MQTT,STOMP";

    /** Role of the hub's own user. */
    public static final String HUB_ROLE = "hub";
    /** Role of the consumers' user. */
    public static final String MES_ROLE = "mes";

    static final String BROKER_NAME = "millwright";
    private static final String NETTY_ACCEPTOR = "org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory";
    static final String EVENTS_MATCH = "millwright.events.#";
    static final String DEAD_LETTER_ADDRESS = "DLA";
    static final String EXPIRY_ADDRESS = "ExpiryAddress";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedArtemisBroker.class);

    private final String bindAddress;
    private final int port;
    private final Path dataDir;
    private final Credentials hub;
    private final Credentials mes;
    private final List<ArtemisBrokerCustomizer> customizers;
    private TlsKeystore tls;
    private EmbeddedActiveMQ embedded;
    /** The started server, read without a lock by {@link #hasListeners} on every publish. */
    private volatile ActiveMQServer running;
    private final Map<String, SimpleString> addressNames = new java.util.concurrent.ConcurrentHashMap<>();

    /** A broker user and its password. */
    public record Credentials(String user, String password) {
        public Credentials {
            if (user == null || user.isBlank() || password == null || password.isBlank()) {
                throw new IllegalArgumentException("Artemis user '" + user + "' needs a name and a password");
            }
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=******]";
        }
    }

    /**
     * @param bindAddress address the acceptor listens on
     * @param port TCP port of the acceptor
     * @param dataDir the broker keeps journal, bindings, paging and large messages in this
     *     folder (created when missing)
     */
    public EmbeddedArtemisBroker(String bindAddress, int port, Path dataDir) {
        this(bindAddress, port, dataDir, null, null);
    }

    /**
     * A broker with security on: anonymous refused, {@code hub} in role {@value #HUB_ROLE},
     * {@code mes} in role {@value #MES_ROLE}. Both null = security off (tests of the broker alone).
     */
    public EmbeddedArtemisBroker(String bindAddress, int port, Path dataDir, Credentials hub, Credentials mes) {
        this(bindAddress, port, dataDir, hub, mes, List.of());
    }

    /** As above, with the capabilities' additions applied, in order, before the broker starts. */
    public EmbeddedArtemisBroker(String bindAddress, int port, Path dataDir, Credentials hub, Credentials mes,
            List<ArtemisBrokerCustomizer> customizers) {
        if ((hub == null) != (mes == null)) {
            throw new IllegalArgumentException("Artemis security needs both the hub's and the consumers' user");
        }
        this.bindAddress = bindAddress;
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.hub = hub;
        this.mes = mes;
        this.customizers = List.copyOf(customizers);
    }

    /**
     * Serves the acceptor over TLS with this key store (every protocol: CORE, AMQP, MQTT, STOMP);
     * clients then connect with {@code sslEnabled=true} and trust its certificate. Call before
     * {@link #start()}; null = plain TCP.
     */
    public EmbeddedArtemisBroker withTls(TlsKeystore keystore) {
        this.tls = keystore;
        return this;
    }

    /** Whether the acceptor speaks TLS. */
    public boolean tlsEnabled() {
        return tls != null;
    }

    /** Whether clients must log in. */
    public boolean securityEnabled() {
        return hub != null;
    }

    /** Starts the broker and returns once the acceptor listens. */
    public synchronized void start() throws Exception {
        if (embedded != null) {
            return;
        }
        long began = System.nanoTime();
        Configuration configuration = configuration();
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        SecurityConfiguration users = null;
        if (securityEnabled()) {
            users = new SecurityConfiguration();
            users.addUser(hub.user(), hub.password());
            users.addRole(hub.user(), HUB_ROLE);
            users.addUser(mes.user(), mes.password());
            users.addRole(mes.user(), MES_ROLE);
            broker.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        }
        for (ArtemisBrokerCustomizer customizer : customizers) {
            customizer.customize(configuration, users);
        }
        try {
            broker.start();
            ActiveMQServer server = broker.getActiveMQServer();
            if (!server.waitForActivation(30, TimeUnit.SECONDS) || !server.isActive()) {
                throw new IllegalStateException("not active after 30 s");
            }
        } catch (Exception e) {
            stopQuietly(broker);
            throw new IllegalStateException(
                    "Artemis broker could not start on " + acceptorUri() + " with data in " + dataDir
                            + ": " + e.getMessage() + "; is the port in use? Set millwright.artemis.port"
                            + " or millwright.artemis.embedded=false to use an external broker",
                    e);
        }
        embedded = broker;
        running = broker.getActiveMQServer();
        log.info(
                "Artemis broker started acceptor={} tls={} protocols={} dataDir={} security={} startMillis={}",
                acceptorUri(),
                tls == null ? "off" : tls.path(),
                PROTOCOLS,
                dataDir,
                securityEnabled() ? "users " + hub.user() + "(" + HUB_ROLE + ")," + mes.user() + "(" + MES_ROLE + ")" : "off",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        if (!securityEnabled() && !isLoopback(bindAddress)) {
            log.warn(
                    "Artemis broker accepts unauthenticated clients on a non-loopback address"
                            + " bindAddress={}; anyone who reaches port {} can publish and subscribe",
                    bindAddress,
                    port);
        }
    }

    /** Stops the broker; its journal stays on disk for the next start. */
    @Override
    public synchronized void close() throws Exception {
        if (embedded == null) {
            return;
        }
        running = null;
        embedded.stop();
        embedded = null;
        log.info("Artemis broker stopped acceptor={}", acceptorUri());
    }

    /** The acceptor as a client URL, e.g. {@code tcp://127.0.0.1:61616}. */
    public String acceptorUri() {
        return "tcp://" + bindAddress + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is started and active. */
    public synchronized boolean isRunning() {
        return embedded != null && embedded.getActiveMQServer().isActive();
    }

    /**
     * Whether a message sent to the address now would reach a binding (a queue, a subscription or a
     * divert, bound directly or through a wildcard such as MQTT's {@code millwright/events/#}): the
     * broker's own routing table, a map lookup. True while the broker is not running (the sender
     * then fails or succeeds as before) and when the table cannot be read.
     */
    public boolean hasListeners(String address) {
        ActiveMQServer server = running;
        if (server == null) {
            return true;
        }
        try {
            SimpleString name = addressNames.computeIfAbsent(address, SimpleString::of);
            // the table routing uses: it also holds the wildcard subscriptions matching the address, which
            // PostOffice.lookupBindingsForAddress leaves out until a message was routed there
            Bindings bindings = server.getPostOffice() instanceof PostOfficeImpl postOffice
                    ? postOffice.getAddressManager().getBindingsForRoutingAddress(name)
                    : server.getPostOffice().lookupBindingsForAddress(name);
            return bindings != null && !bindings.getBindings().isEmpty();
        } catch (Exception e) {
            return true;
        }
    }

    /** The running server, for management checks (queue counts, address settings). */
    public synchronized ActiveMQServer server() {
        if (embedded == null) {
            throw new IllegalStateException("Artemis broker " + acceptorUri() + " is not running");
        }
        return embedded.getActiveMQServer();
    }

    private Configuration configuration() throws Exception {
        Path root = dataDir.resolve("artemis");
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName(BROKER_NAME);
        if (tls == null) {
            config.addAcceptorConfiguration("millwright", acceptorUri() + "?protocols=" + PROTOCOLS);
        } else {
            // parameters, not URL options: the key store password stays out of every URL and log line
            Map<String, Object> params = new HashMap<>();
            params.put(TransportConstants.HOST_PROP_NAME, bindAddress);
            params.put(TransportConstants.PORT_PROP_NAME, port);
            params.put(TransportConstants.PROTOCOLS_PROP_NAME, PROTOCOLS);
            params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, tls.path().toString());
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, tls.password());
            params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, tls.type());
            config.addAcceptorConfiguration(new TransportConfiguration(NETTY_ACCEPTOR, params, "millwright"));
        }
        config.setPersistenceEnabled(true);
        // NIO works on every file system (tmpfs, overlay, Windows); AIO needs libaio and falls
        // back with a warning anyway.
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(root.resolve("journal").toString());
        config.setBindingsDirectory(root.resolve("bindings").toString());
        config.setPagingDirectory(root.resolve("paging").toString());
        config.setLargeMessagesDirectory(root.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(root.toString());
        config.setSecurityEnabled(securityEnabled());
        if (securityEnabled()) {
            // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
            // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress
            // the hub manages its broker: subscription queues and their diverts go through the
            // management address (subscriptions.SubscriptionQueues)
            Role hubRole = hubRole();
            Role mesRole = new Role(MES_ROLE, false, true, true, true, true, true, false, true, true, false);
            config.putSecurityRoles("#", Set.of(hubRole, mesRole));
        }
        // The critical analyzer's HALT policy would kill the whole hub; LOG reports and goes on.
        config.setCriticalAnalyzerPolicy(CriticalAnalyzerPolicy.LOG);
        // Artemis MBeans (addresses, queues, consumers) show up in Hawtio.
        config.setJMXManagementEnabled(true);

        AddressSettings everything = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                .setAutoCreateDeadLetterResources(true)
                .setExpiryAddress(SimpleString.of(EXPIRY_ADDRESS))
                .setAutoCreateExpiryResources(true)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true);
        config.addAddressSetting("#", everything);
        // Artemis merges settings from the most specific match down to '#', so events keep the
        // dead-letter and expiry settings above.
        AddressSettings events = new AddressSettings()
                .setDefaultAddressRoutingType(RoutingType.MULTICAST)
                .setDefaultQueueRoutingType(RoutingType.MULTICAST)
                .setAutoCreateAddresses(true);
        config.addAddressSetting(EVENTS_MATCH, events);
        return config;
    }

    /**
     * The permissions of the hub's own user ({@value #HUB_ROLE}): everything. A customizer that
     * sets the roles of a narrower match (Artemis takes the most specific match, it does not
     * merge) includes it so the hub keeps its rights there.
     */
    public static Role hubRole() {
        // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
        // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress
        return new Role(HUB_ROLE, true, true, true, true, true, true, true, true, true, true);
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void stopQuietly(EmbeddedActiveMQ broker) {
        try {
            broker.stop();
        } catch (Exception stopFailure) {
            log.warn("Artemis broker did not stop cleanly after a failed start", stopFailure);
        }
    }
}
