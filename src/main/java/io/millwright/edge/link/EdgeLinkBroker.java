package io.millwright.edge.link;

import io.millwright.backbone.ArtemisBrokerCustomizer;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.BridgeConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.DivertConfiguration;
import org.apache.activemq.artemis.core.config.TransformerConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.ComponentConfigurationRoutingType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.PageFullMessagePolicy;

/**
 * The edge's half of the store-and-forward link, as configuration of its embedded Artemis:
 * <ul>
 *   <li>the buffer {@value EdgeLink#OUTBOX}, a durable anycast queue with the configured limits;</li>
 *   <li>one non-exclusive divert per event type from {@code millwright.events.<type>} into it, with
 *       {@link OutboxStamp} (made persistent): what the hub publishes locally also waits in the
 *       buffer, in publishing order;</li>
 *   <li>a core bridge from the buffer to {@value EdgeLink#INGRESS} on the central hub: reconnects
 *       for ever, duplicate detection by the CloudEvents id ({@link CloudEventsDuplicateId}), a
 *       message leaves the buffer only once the central broker has confirmed it.</li>
 * </ul>
 * Artemis's own parts do the work; the hub adds no forwarding code.
 */
public class EdgeLinkBroker implements ArtemisBrokerCustomizer {

    private final EdgeLinkProperties properties;
    private final boolean confirmsOwnCounts;
    private ForwardedCounts forwardedCounts;

    /** The link of an edge whose counts the central hub confirms (the edge profile's default). */
    public EdgeLinkBroker(EdgeLinkProperties properties) {
        this(properties, false);
    }

    /**
     * @param confirmsOwnCounts the edge posts its production counts to SAP itself ({@code millwright.erp.confirmed-by=this-hub}):
     *     its production-count events leave marked {@value MessageHeaders#CONFIRMED_BY}={@value MessageHeaders#CONFIRMED_BY_EDGE},
     *     and the central hub does not book them
     */
    public EdgeLinkBroker(EdgeLinkProperties properties, boolean confirmsOwnCounts) {
        if (properties.centralUrl() == null || properties.centralUrl().isBlank()) {
            throw new IllegalStateException("The edge profile needs millwright.edge.central-url, the central hub's"
                    + " Artemis acceptor (e.g. tcp://central:61616); set it or MILLWRIGHT_EDGE_CENTRAL_URL");
        }
        if (properties.centralPassword() == null || properties.centralPassword().isBlank()) {
            throw new IllegalStateException("The edge profile needs millwright.edge.central-password for user '"
                    + properties.centralUser() + "' on the central hub; set MILLWRIGHT_EDGE_PASSWORD");
        }
        this.properties = properties;
        this.confirmsOwnCounts = confirmsOwnCounts;
    }

    /**
     * Notes the production-count events the link delivered ({@link ForwardedCounts}), so their ledger rows can be
     * pruned; only on an edge whose counts the central hub confirms (nothing here needs them then).
     */
    EdgeLinkBroker withForwardedCounts(ForwardedCounts forwardedCounts) {
        this.forwardedCounts = confirmsOwnCounts ? null : forwardedCounts;
        return this;
    }

    @Override
    public void customize(Configuration configuration, SecurityConfiguration users) {
        if (forwardedCounts != null) {
            configuration.registerBrokerPlugin(forwardedCounts);
        }
        try {
            configuration.addConnectorConfiguration(EdgeLink.CENTRAL_CONNECTOR, properties.centralUrl());
        } catch (Exception e) {
            throw new IllegalStateException("millwright.edge.central-url '" + properties.centralUrl()
                    + "' is not an Artemis URL (tcp://host:port): " + e.getMessage(), e);
        }
        if (properties.tls().enabled()) {
            configuration.addConnectorConfiguration(EdgeLink.CENTRAL_CONNECTOR,
                    withTls(configuration.getConnectorConfigurations().get(EdgeLink.CENTRAL_CONNECTOR), properties.tls()));
        }
        EdgeLinkProperties.Buffer buffer = properties.buffer();
        QueueConfiguration outbox = QueueConfiguration.of(EdgeLink.OUTBOX)
                .setAddress(EdgeLink.OUTBOX)
                .setRoutingType(RoutingType.ANYCAST)
                .setDurable(true);
        if (buffer.fullPolicy() == EdgeLinkProperties.FullPolicy.DROP_OLDEST) {
            outbox.setRingSize(buffer.maxMessages());
        }
        configuration.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(EdgeLink.OUTBOX)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(outbox));
        configuration.addAddressSetting(EdgeLink.OUTBOX, bufferSettings(buffer));
        if (!buffer.maxAge().isZero()) {
            // Artemis looks for expired messages every message-expiry-scan-period (30 s by default):
            // a tenth of max-age, between 100 ms and those 30 s, keeps an event at most ~10 % past its age
            configuration.setMessageExpiryScanPeriod(expiryScanPeriod(buffer.maxAge()));
        }

        for (EventType type : EventType.values()) {
            // the divert needs its source address at start, before the hub creates the event addresses
            configuration.addAddressConfiguration(new CoreAddressConfiguration()
                    .setName(type.destination())
                    .addRoutingType(RoutingType.MULTICAST));
            configuration.addDivertConfiguration(new DivertConfiguration()
                    .setName(EdgeLink.OUTBOX + ".divert." + type.eventName())
                    .setAddress(type.destination())
                    .setForwardingAddress(EdgeLink.OUTBOX)
                    .setExclusive(false)
                    .setRoutingType(ComponentConfigurationRoutingType.ANYCAST)
                    .setTransformerConfiguration(stamp(type)));
        }

        List<BridgeConfiguration> bridges = new ArrayList<>(configuration.getBridgeConfigurations());
        bridges.add(new BridgeConfiguration()
                .setName(EdgeLink.BRIDGE)
                .setQueueName(EdgeLink.OUTBOX)
                .setForwardingAddress(EdgeLink.INGRESS)
                .setRoutingType(ComponentConfigurationRoutingType.ANYCAST)
                .setStaticConnectors(List.of(EdgeLink.CENTRAL_CONNECTOR))
                .setUser(properties.centralUser())
                .setPassword(properties.centralPassword())
                // The central's broker drops a message it already stored by _AMQ_DUPL_ID = CloudEvents id
                // (CloudEventsDuplicateId): that covers a re-send after a reconnect and an event the edge
                // published twice. The bridge's own duplicate id would cover only the first: where it is
                // present, Artemis's post office skips the _AMQ_DUPL_ID check (measured in EdgeCentralLinkTest).
                .setUseDuplicateDetection(false)
                // the edge keeps collecting whatever the outage: never give up the link
                .setReconnectAttempts(-1)
                .setRetryInterval(properties.retryInterval().toMillis())
                .setRetryIntervalMultiplier(2.0)
                .setMaxRetryInterval(properties.maxRetryInterval().toMillis())
                .setConfirmationWindowSize((int) properties.confirmationWindow().toBytes())
                .setTransformerConfiguration(new TransformerConfiguration(CloudEventsDuplicateId.class.getName())));
        configuration.setBridgeConfigurations(bridges);
    }

    /**
     * The central connector with TLS, as parameters rather than URL options: the trust store's
     * password stays out of every URL and log line.
     */
    static TransportConfiguration withTls(TransportConfiguration plain, EdgeLinkProperties.Tls tls) {
        if (!Files.isReadable(Path.of(tls.trustStore()))) {
            throw new IllegalStateException("millwright.edge.tls.trust-store: cannot read " + tls.trustStore());
        }
        Map<String, Object> params = new HashMap<>(plain.getParams());
        params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, tls.trustStore());
        params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, tls.trustStorePassword());
        params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, tls.trustStoreType());
        params.put(TransportConstants.VERIFY_HOST_PROP_NAME, tls.verifyHost());
        return new TransportConfiguration(plain.getFactoryClassName(), params, plain.getName());
    }

    /** How often the broker looks for events older than {@code max-age}: a tenth of it, 100 ms to 30 s. */
    static long expiryScanPeriod(Duration maxAge) {
        return Math.max(100, Math.min(30_000, maxAge.toMillis() / 10));
    }

    /** Largest page file of the buffer: Artemis holds the page being written in memory, and reads up to two pages back. */
    static final int MAX_PAGE_BYTES = 1024 * 1024;

    static AddressSettings bufferSettings(EdgeLinkProperties.Buffer buffer) {
        AddressSettings settings = new AddressSettings()
                .setMaxSizeBytes(buffer.memory().toBytes())
                // page files of 1 MB instead of Artemis's 10 MB: the page being written stays in memory beside the
                // buffer's in-memory part, which filled an 80 MB edge heap during an outage (docs/benchmarks.md)
                .setPageSizeBytes((int) Math.min(buffer.memory().toBytes(), MAX_PAGE_BYTES))
                .setPageLimitBytes(buffer.maxBytes().toBytes());
        if (buffer.fullPolicy() == EdgeLinkProperties.FullPolicy.FAIL) {
            settings.setPageLimitMessages(buffer.maxMessages())
                    .setPageFullMessagePolicy(PageFullMessagePolicy.FAIL);
        } else {
            settings.setPageFullMessagePolicy(PageFullMessagePolicy.DROP);
        }
        if (!buffer.maxAge().isZero()) {
            settings.setExpiryDelay(buffer.maxAge().toMillis());
        }
        return settings;
    }

    /** The outbox copy's transformer: persistent, and the counts of an edge that confirms them itself marked so. */
    private TransformerConfiguration stamp(EventType type) {
        TransformerConfiguration stamp = new TransformerConfiguration(OutboxStamp.class.getName());
        if (confirmsOwnCounts && type == EventType.PRODUCTION_COUNT) {
            stamp.setProperties(Map.of(OutboxStamp.CONFIRMED_BY, MessageHeaders.CONFIRMED_BY_EDGE));
        }
        return stamp;
    }
}
