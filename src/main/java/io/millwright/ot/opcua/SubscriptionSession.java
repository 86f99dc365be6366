package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription.SubscriptionListener;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's Milo session and subscriptions, set up on a thread of its own so start-up never
 * waits for a server: connect (retrying with back-off until it works or the consumer stops), then
 * one subscription per distinct publishing interval, then the monitored items in batches no larger
 * than the server's MaxMonitoredItemsPerCall (OPC 10000-5 6.3.11). Milo reconnects and transfers
 * the subscriptions by itself; a subscription the server lost (transfer failed, timed out) is
 * created again with its items.
 */
final class SubscriptionSession {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionSession.class);

    /** Items per CreateMonitoredItems call when the server states no limit. */
    static final int DEFAULT_BATCH = 1_000;

    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final OpcUaConnection connection;
    private final String password;
    private final Handoff handoff;
    private final OpcUaConnectionStatus status;
    private final ExecutorService setup;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<Duration, GroupSubscription> subscriptions = new LinkedHashMap<>();
    private volatile OpcUaClient client;

    /** The items of one publishing interval and the subscription that carries them. */
    private record GroupSubscription(
            Duration publishingInterval, OpcUaSubscription subscription, List<MonitoredItemBatches.NodeItem> items) {}

    SubscriptionSession(OpcUaConnection connection, String password, Handoff handoff, OpcUaConnectionStatus status) {
        this.connection = connection;
        this.password = password;
        this.handoff = handoff;
        this.status = status;
        this.setup = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "opcua-" + connection.id() + "-setup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects and subscribes in the background; returns at once. */
    void start() {
        setup.execute(this::connectAndSubscribe);
    }

    /** Ends the retries and the session; the server deletes the subscriptions with it. */
    void stop() {
        stopped.countDown();
        setup.shutdownNow();
        OpcUaClient current = client;
        if (current != null) {
            try {
                current.disconnectAsync().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("OPC UA disconnect did not complete connection={} reason={}", connection.id(), e.toString());
            }
        }
        status.connected(false);
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void connectAndSubscribe() {
        long retry = FIRST_RETRY_MILLIS;
        while (!isStopped()) {
            try {
                connect();
                subscribeAll();
                return;
            } catch (Exception e) {
                status.lastError(e.toString());
                log.warn("OPC UA connection failed, retrying connection={} endpoint={} retryInMs={} reason={}",
                        connection.id(), connection.endpoint(), retry, e.toString());
                disconnectQuietly();
                try {
                    if (stopped.await(retry, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                retry = Math.min(retry * 2, MAX_RETRY_MILLIS);
            }
        }
    }

    private void connect() throws UaException {
        OpcUaClient newClient = MiloClients.create(connection, password);
        newClient.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(UaSession session) {
                status.connected(true);
            }

            @Override
            public void onSessionInactive(UaSession session) {
                status.connected(false);
            }
        });
        client = newClient;
        newClient.connect();
        status.connected(true);
        status.lastError(null);
        log.info("OPC UA connected connection={} endpoint={} overrideHost={} security={} user={}",
                connection.id(), connection.endpoint(), connection.overrideHost(), connection.securityPolicies(),
                connection.username() == null ? "anonymous" : connection.username());
    }

    private void disconnectQuietly() {
        OpcUaClient current = client;
        client = null;
        subscriptions.clear();
        if (current != null) {
            current.disconnectAsync();
        }
    }

    /** Creates what does not exist on the server yet: subscriptions, then items in batches. */
    private synchronized void subscribeAll() throws UaException {
        if (subscriptions.isEmpty()) {
            prepare();
        }
        int batchSize = batchSize();
        int total = subscriptions.values().stream().mapToInt(g -> g.items().size()).sum();
        CreationProgress progress = new CreationProgress(connection.id(), status, total);
        for (GroupSubscription group : subscriptions.values()) {
            OpcUaSubscription subscription = group.subscription();
            if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
                subscription.setMaxMonitoredItemsPerCall(uint(batchSize));
                subscription.create();
            }
            MonitoredItemBatches.create(client, group.subscription(), group.items(), batchSize, progress);
        }
        progress.finish(subscriptions.size(), batchSize);
    }

    private void prepare() {
        for (NodeGroup group : connection.groups()) {
            Duration interval = group.settings().publishingInterval();
            GroupSubscription target = subscriptions.computeIfAbsent(interval, i -> {
                OpcUaSubscription subscription = new OpcUaSubscription(client, (double) i.toMillis());
                subscription.setSubscriptionListener(new Recreate());
                return new GroupSubscription(i, subscription, new ArrayList<>());
            });
            for (OpcUaNode node : group.nodes()) {
                target.items().add(new MonitoredItemBatches.NodeItem(
                        node, group.settings(), new MonitoredNode(node.nodeId(), handoff)));
            }
        }
    }

    /** MaxMonitoredItemsPerCall from the server's OperationLimits; 0, absent or unreadable: {@value #DEFAULT_BATCH}. */
    private int batchSize() {
        try {
            long limit = client.readOperationLimits().maxMonitoredItemsPerCall().map(UInteger::longValue).orElse(0L);
            return limit <= 0 ? DEFAULT_BATCH : (int) Math.min(limit, Integer.MAX_VALUE);
        } catch (UaException e) {
            log.info("OPC UA operation limits unreadable, creating items in batches of {} connection={} reason={}",
                    DEFAULT_BATCH, connection.id(), e.getStatusCode());
            return DEFAULT_BATCH;
        }
    }

    /** Creates a subscription the server no longer has again, with its items. */
    private final class Recreate implements SubscriptionListener {

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode code) {
            recreate("transfer to the new session failed: " + MonitoredItemBatches.statusName(code));
        }

        @Override
        public void onStatusChanged(OpcUaSubscription subscription, StatusCode code) {
            if (code.value() == StatusCodes.Bad_Timeout) {
                recreate("the server timed it out");
            }
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription subscription) {
            log.warn("OPC UA notifications lost (republish failed) connection={} subscription={}",
                    connection.id(), subscription.getSubscriptionId().orElse(null));
        }

        private void recreate(String reason) {
            log.warn("OPC UA subscription lost, creating it again connection={} reason={}", connection.id(), reason);
            if (!isStopped()) {
                setup.execute(() -> {
                    try {
                        subscribeAll();
                    } catch (Exception e) {
                        log.warn("OPC UA subscription could not be created again connection={} reason={}",
                                connection.id(), e.toString());
                    }
                });
            }
        }
    }
}
