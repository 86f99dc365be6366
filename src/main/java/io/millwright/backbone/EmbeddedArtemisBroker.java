package io.millwright.backbone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.critical.CriticalAnalyzerPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ActiveMQ Artemis broker running in the hub's JVM, with one TCP acceptor that speaks CORE
 * (JMS), AMQP 1.0, MQTT 3.1.1/5 and STOMP, a persistent NIO journal under {@code
 * <dataDir>/artemis}, and security off (so it binds to loopback unless told otherwise).
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

    static final String BROKER_NAME = "millwright";
    static final String EVENTS_MATCH = "millwright.events.#";
    static final String DEAD_LETTER_ADDRESS = "DLA";
    static final String EXPIRY_ADDRESS = "ExpiryAddress";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedArtemisBroker.class);

    private final String bindAddress;
    private final int port;
    private final Path dataDir;
    private EmbeddedActiveMQ embedded;

    /**
     * @param bindAddress address the acceptor listens on
     * @param port TCP port of the acceptor
     * @param dataDir the broker keeps journal, bindings, paging and large messages in this
     *     folder (created when missing)
     */
    public EmbeddedArtemisBroker(String bindAddress, int port, Path dataDir) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Starts the broker and returns once the acceptor listens. */
    public synchronized void start() throws Exception {
        if (embedded != null) {
            return;
        }
        long began = System.nanoTime();
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration());
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
        log.info(
                "Artemis broker started acceptor={} protocols={} dataDir={} startMillis={}",
                acceptorUri(),
                PROTOCOLS,
                dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        if (!isLoopback(bindAddress)) {
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
        config.addAcceptorConfiguration("millwright", acceptorUri() + "?protocols=" + PROTOCOLS);
        config.setPersistenceEnabled(true);
        // NIO works on every file system (tmpfs, overlay, Windows); AIO needs libaio and falls
        // back with a warning anyway.
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(root.resolve("journal").toString());
        config.setBindingsDirectory(root.resolve("bindings").toString());
        config.setPagingDirectory(root.resolve("paging").toString());
        config.setLargeMessagesDirectory(root.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(root.toString());
        // Off for now: the acceptor binds to loopback by default (docs/backbone.md).
        config.setSecurityEnabled(false);
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
