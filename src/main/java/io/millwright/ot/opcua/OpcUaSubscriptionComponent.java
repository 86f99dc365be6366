package io.millwright.ot.opcua;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code opcua-subscription} Camel component: one endpoint per OPC UA connection file,
 * {@code opcua-subscription:<connection-id>}, consumed by one route. Built with the connections read
 * at start-up; keeps one {@link OpcUaConnectionStatus} per enabled connection, bound to Micrometer
 * (see {@link OpcUaMetrics} for the meter names).
 */
public final class OpcUaSubscriptionComponent extends DefaultComponent {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OpcUaSubscriptionComponent.class);

    /** The URI scheme, and the name under which the component is registered. */
    public static final String SCHEME = "opcua-subscription";

    private final Map<String, OpcUaConnection> connections = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, OpcUaConnectionStatus> statuses = Collections.synchronizedMap(new LinkedHashMap<>());
    private final MeterRegistry registry;
    private final UnaryOperator<String> environment;
    private final ClientPki pki;
    private final WarmClients warmClients = new WarmClients();
    /** Connections whose consumer runs in this hub. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean warmStandby;
    /** Which asset a node's values belong to: keeps an asset's nodes on one worker. Absent = by node id. */
    private volatile java.util.function.Supplier<io.millwright.model.AssetLookup> assets = () -> null;

    /**
     * A component without a client certificate: connections may allow security policy None only.
     *
     * @param connections the connection files as read; disabled ones get no endpoint
     * @param environment looks up a password by the name of its environment variable
     * @param registry where the per-connection meters go
     */
    public OpcUaSubscriptionComponent(
            List<OpcUaConnection> connections, UnaryOperator<String> environment, MeterRegistry registry) {
        this(connections, environment, registry, null);
    }

    /**
     * @param connections the connection files as read; disabled ones get no endpoint
     * @param environment looks up a password by the name of its environment variable
     * @param registry where the per-connection meters go
     * @param pki the hub's certificate and trust list for signed and encrypted sessions; null = None only
     */
    public OpcUaSubscriptionComponent(List<OpcUaConnection> connections, UnaryOperator<String> environment,
            MeterRegistry registry, ClientPki pki) {
        this.environment = environment;
        this.pki = pki;
        this.registry = registry;
        for (OpcUaConnection connection : connections) {
            if (connection.enabled()) {
                put(connection);
            }
        }
    }

    /**
     * Adds a connection, or replaces the one with its id: a consumer started from now on uses it
     * (a running one keeps the connection it started with until its route is restarted). Its
     * status, meters and health entry carry on under the same id.
     */
    public void put(OpcUaConnection connection) {
        synchronized (statuses) {
            OpcUaConnectionStatus status = statuses.get(connection.id());
            if (status == null) {
                status = new OpcUaConnectionStatus(connection.id(), connection.endpoint(), connection.handoff().capacity());
                statuses.put(connection.id(), status);
                OpcUaMetrics.bind(registry, status);
                OpcUaConnectionMBeans.register(status);
            } else {
                status.reconfigured(connection.endpoint(), connection.handoff().capacity());
            }
            connections.put(connection.id(), connection);
        }
        if (warmStandby) {
            warmIfIdle(connection);
        }
    }

    /** Forgets a connection whose route was removed; its health entry goes with it. */
    public void remove(String connectionId) {
        synchronized (statuses) {
            connections.remove(connectionId);
            statuses.remove(connectionId);
            OpcUaConnectionMBeans.unregister(connectionId);
        }
    }

    /** The connection as it is now, or null. */
    public OpcUaConnection connection(String connectionId) {
        return connections.get(connectionId);
    }

    /** The status of every enabled connection, by connection id. */
    public Map<String, OpcUaConnectionStatus> statuses() {
        synchronized (statuses) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(statuses));
        }
    }

    /**
     * Lets the connections' workers share out the nodes by asset (an asset's nodes on one worker, so
     * its values keep their order); without it, by node id. Takes effect when a consumer starts.
     */
    public void assets(io.millwright.model.AssetLookup assets) {
        assets(() -> assets);
    }

    /** As {@link #assets(io.millwright.model.AssetLookup)}, the lookup found when a consumer starts (null: none). */
    public void assets(java.util.function.Supplier<io.millwright.model.AssetLookup> assets) {
        this.assets = assets;
    }

    /** A node id's asset path through this connection, or null when it is not known: the hand-off's partition key. */
    UnaryOperator<String> partitionKey(OpcUaConnection connection) {
        io.millwright.model.AssetLookup lookup = assets.get();
        if (lookup == null) {
            return nodeId -> null;
        }
        String source = "opcua://" + connection.id();
        return nodeId -> lookup.assetPath(source, connection.id(), nodeId);
    }

    /** The hub's certificate and trust list, or null when only policy None is possible. */
    ClientPki pki() {
        return pki;
    }

    /** The enabled connections this component serves. */
    public Collection<OpcUaConnection> connections() {
        synchronized (connections) {
            return List.copyOf(connections.values());
        }
    }

    /**
     * Warm standby (several hub instances, {@code millwright.cluster.warm-standby}): every connection whose
     * route does not run here gets an open session without subscriptions ({@link WarmClients}), now and
     * whenever its route stops while the hub runs on, so that taking over only subscribes.
     */
    public void warmStandby(boolean on) {
        warmStandby = on;
        if (on) {
            connections().forEach(this::warmIfIdle);
        }
    }

    /** Whether a warm standby session is open or opening for the connection. */
    public boolean hasWarmSession(String connectionId) {
        return warmClients.has(connectionId);
    }

    private void warmIfIdle(OpcUaConnection connection) {
        synchronized (running) {
            if (!warmStandby || running.contains(connection.id()) || !connections.containsKey(connection.id())) {
                return;
            }
            try {
                warmClients.open(connection, password(connection), pki);
            } catch (RuntimeException e) {
                log.warn("OPC UA warm standby not opened connection={} reason={}", connection.id(), e.getMessage());
            }
        }
    }

    /** A consumer of the connection starts: it gets the warm client, if one is open for this version of the file. */
    WarmClients.Warm consumerStarting(OpcUaConnection connection) {
        synchronized (running) {
            running.add(connection.id());
            return warmClients.take(connection);
        }
    }

    /** The consumer stopped; on a running hub in warm standby, a new warm session is opened for the next takeover. */
    void consumerStopped(OpcUaConnection connection) {
        synchronized (running) {
            running.remove(connection.id());
        }
        if (warmStandby && getCamelContext() != null && getCamelContext().getStatus().isStarted()) {
            OpcUaConnection current = connections.get(connection.id());
            if (current != null) {
                warmIfIdle(current);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        warmStandby = false;
        warmClients.close();
        super.doStop();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        OpcUaConnection connection = connections.get(remaining);
        if (connection == null) {
            throw new IllegalArgumentException(uri + ": no enabled OPC UA connection '" + remaining
                    + "'; a connection is a file adapters/opcua/<connection-id>.yaml; enabled: " + connections.keySet());
        }
        return new OpcUaSubscriptionEndpoint(uri, this, remaining);
    }

    /** The status of a connection; the same object across reloads of its file. */
    OpcUaConnectionStatus status(String connectionId) {
        return statuses.get(connectionId);
    }

    String password(OpcUaConnection connection) {
        if (connection.passwordVariable() == null) {
            return null;
        }
        String password = environment.apply(connection.passwordVariable());
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException(connection.file() + ": 'password' refers to "
                    + connection.passwordVariable() + ", which is not set in the environment");
        }
        return password;
    }
}
