package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription.SubscriptionListener;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
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

    /**
     * Most items one subscription carries; more items of the same publishing interval get further
     * subscriptions. Milo 1.0.8's OpcUaSubscription.addMonitoredItem scans the items it has
     * (ConcurrentHashMap.containsValue), so adding n items to one subscription costs n^2/2
     * comparisons: 25 s of CPU for 100,000 items in one subscription, under a second in chunks of
     * 5,000. Servers also limit items per subscription (MaxMonitoredItemsPerSubscription).
     */
    static final int MAX_ITEMS_PER_SUBSCRIPTION = 5_000;

    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /**
     * Retry interval while the server's certificate is untrusted: the operator's move to
     * trusted/certs/ takes effect within this (Milo's trust list watches the folder).
     */
    static final long UNTRUSTED_RETRY_MILLIS = 5_000;

    private final OpcUaConnection connection;
    private final String password;
    private final Handoff handoff;
    private final OpcUaConnectionStatus status;
    private final ClientPki pki;
    private final RejectedCertificates rejected;
    private final GapListener gaps;
    /** One per node of the file, for the Bad_NoCommunication at a drop and the re-read after it. */
    private final List<MonitoredNode> allNodes;
    private final Map<String, MonitoredNode> nodesById;
    /** Listed nodes with a stale watchdog, and their timeout in nanoseconds. */
    private final Map<MonitoredNode, Long> watched;
    private boolean watchdogScheduled;
    /** When the session was lost, or null while connected (or before the first connect). */
    private volatile Instant gapStart;
    /** The node ids monitored when the session was lost: what the data gap affected. */
    private volatile List<String> gapNodeIds = List.of();
    /** The server lost the discovery subscriptions: browse again as soon as the session is active. */
    private volatile boolean rediscoverDue;
    private volatile boolean everConnected;
    private final ScheduledExecutorService setup;
    private final BrowseDiscovery discovery;
    private final DiscoveryListener discoveryListener;
    /** Discovered variables by node id, with their item; touched on the setup thread (and read under the lock). */
    private final Map<String, DiscoveredItem> discovered = new LinkedHashMap<>();
    private final List<OpcUaSubscription> discoverySubscriptions = new ArrayList<>();
    private boolean rebrowseScheduled;

    /** A variable browse discovery subscribed. */
    private record DiscoveredItem(
            BrowseDiscovery.Found found, MonitoredNode node, OpcUaSubscription subscription, OpcUaMonitoredItem item) {}
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<GroupSubscription> subscriptions = new ArrayList<>();
    private volatile OpcUaClient client;

    /** The items of one publishing interval and the subscription that carries them. */
    private record GroupSubscription(
            Duration publishingInterval, OpcUaSubscription subscription, List<MonitoredItemBatches.NodeItem> items) {}

    SubscriptionSession(OpcUaConnection connection, String password, Handoff handoff, OpcUaConnectionStatus status) {
        this(connection, password, handoff, status, null, GapListener.NONE);
    }

    SubscriptionSession(OpcUaConnection connection, String password, Handoff handoff, OpcUaConnectionStatus status,
            ClientPki pki, GapListener gaps) {
        this(connection, password, handoff, status, pki, gaps, DiscoveryListener.NONE);
    }

    SubscriptionSession(OpcUaConnection connection, String password, Handoff handoff, OpcUaConnectionStatus status,
            ClientPki pki, GapListener gaps, DiscoveryListener discoveryListener) {
        this.discovery = connection.browse() == null ? null : new BrowseDiscovery(connection.browse());
        this.discoveryListener = discoveryListener;
        this.pki = pki;
        this.gaps = gaps;
        Map<String, MonitoredNode> byId = new LinkedHashMap<>();
        Map<MonitoredNode, Long> watch = new java.util.IdentityHashMap<>();
        for (NodeGroup group : connection.groups()) {
            Duration timeout = group.settings().staleTimeout();
            for (OpcUaNode node : group.nodes()) {
                MonitoredNode monitored = new MonitoredNode(node.nodeId(), handoff);
                byId.put(node.nodeId(), monitored);
                if (timeout != null) {
                    watch.put(monitored, timeout.toNanos());
                }
            }
        }
        this.nodesById = byId;
        this.allNodes = List.copyOf(byId.values());
        this.watched = watch;
        this.rejected = pki == null ? null : new RejectedCertificates(pki);
        this.connection = connection;
        this.password = password;
        this.handoff = handoff;
        this.status = status;
        this.setup = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "opcua-" + connection.id() + "-setup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How long the first connect waits for a warm standby client still connecting. */
    private static final long WARM_CLIENT_WAIT_MILLIS = 10_000;

    /** An open client of a warm standby, used by the first connect instead of a new one; null = none. */
    private volatile WarmClients.Warm warm;

    /** Use this warm standby client (open session, no subscriptions) for the first connect; null = none. */
    void useWarmClient(WarmClients.Warm warm) {
        this.warm = warm;
    }

    /** Connects and subscribes in the background; returns at once. */
    void start() {
        setup.execute(this::connectAndSubscribe);
    }

    /** Ends the retries and the session; the server deletes the subscriptions with it. */
    void stop() {
        stopped.countDown();
        setup.shutdownNow();
        WarmClients.Warm unused = warm;
        if (unused != null) {
            warm = null;
            unused.close();
        }
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
            long wait = retry;
            try {
                connect();
                subscribeAll();
                if (discovery != null) {
                    discover();
                    scheduleRebrowse();
                }
                freshen();
                scheduleWatchdog();
                return;
            } catch (Exception e) {
                status.lastError(e.toString());
                X509Certificate refused = rejected == null ? null : rejected.takeLast();
                long refusedBy = pki == null || refused != null ? 0 : HubCertificateRefusal.statusOf(e);
                boolean awaitingTrust = refused != null || refusedBy != 0;
                if (refused != null) {
                    wait = UNTRUSTED_RETRY_MILLIS;
                    status.hubCertificateRefused(null);
                    reportUntrusted(refused);
                } else if (refusedBy != 0) {
                    wait = UNTRUSTED_RETRY_MILLIS;
                    reportRefusedByServer(refusedBy);
                } else {
                    status.hubCertificateRefused(null);
                    log.warn("OPC UA connection failed, retrying connection={} endpoint={} retryInMs={} reason={}",
                            connection.id(), connection.endpoint(), retry, e.toString());
                }
                disconnectQuietly();
                try {
                    if (stopped.await(wait, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // waiting for an operator to trust a certificate is no reason to back off further:
                // once it is trusted the next failure of another kind starts again at the first retry
                retry = awaitingTrust ? FIRST_RETRY_MILLIS : Math.min(retry * 2, MAX_RETRY_MILLIS);
            }
        }
    }

    /** The log line and the health detail an operator needs to make the server trust the hub's certificate. */
    private void reportRefusedByServer(long statusCode) {
        Map<String, String> details = HubCertificateRefusal.details(connection.endpoint(), statusCode, pki);
        boolean first = !details.equals(status.hubCertificateRefused());
        status.hubCertificateRefused(details);
        if (first) {
            log.warn("OPC UA server refused the secure channel, most likely because it does not trust the hub's"
                            + " certificate yet; the connection stays down until it does connection={} server={} status={}"
                            + " hubCertificate={} thumbprint={} applicationUri={} trustWith=\"{}\" retryEveryMs={}",
                    connection.id(), connection.endpoint(), details.get("status"), details.get("hubCertificate"),
                    details.get("thumbprint"), details.get("applicationUri"), details.get("trust"), UNTRUSTED_RETRY_MILLIS);
        }
    }

    /** The log line and the health detail an operator needs to trust the server's certificate. */
    private void reportUntrusted(X509Certificate certificate) {
        Path file = pki.rejectedFile(certificate);
        Path alreadyTrusted = file == null ? pki.trustedFile(certificate) : null;
        if (alreadyTrusted != null && status.untrustedServerCertificate() != null) {
            // refused just before the operator moved it (the trust list reloads at the next retry):
            // keep telling what was done, not "copy it", which would send them looking for a file
            log.info("OPC UA server certificate now in trusted/certs, connecting at the next retry connection={} file={}",
                    connection.id(), alreadyTrusted.toAbsolutePath().normalize());
            return;
        }
        file = file == null ? null : file.toAbsolutePath().normalize();
        Path trusted = pki.trustedCerts().toAbsolutePath().normalize();
        String subject = certificate.getSubjectX500Principal().getName();
        String thumbprint = ClientPki.thumbprint(certificate);
        String command = file == null
                ? "copy the server certificate (DER) into " + trusted + "/"
                : "mv '" + file + "' '" + trusted + "/'";
        Map<String, String> details = new LinkedHashMap<>();
        details.put("server", connection.endpoint());
        details.put("subject", subject);
        details.put("thumbprint", thumbprint);
        if (file != null) {
            details.put("file", file.toString());
        }
        details.put("trust", command);
        boolean first = !details.equals(status.untrustedServerCertificate());
        status.untrustedServerCertificate(details);
        if (first) {
            log.warn("OPC UA server certificate not trusted, connection stays down until it is connection={} server={}"
                            + " subject=\"{}\" thumbprint={} trustWith=\"{}\" retryEveryMs={}",
                    connection.id(), connection.endpoint(), subject, thumbprint, command, UNTRUSTED_RETRY_MILLIS);
        }
    }

    private void connect() throws UaException {
        WarmClients.Warm ready = warm;
        warm = null;
        OpcUaClient warmClient = ready == null ? null : ready.await(WARM_CLIENT_WAIT_MILLIS);
        if (warmClient != null) {
            EndpointDescription endpoint = ready.endpoint().get();
            if (endpoint != null) {
                status.endpointSelected(SecurityPolicy.fromUriSafe(endpoint.getSecurityPolicyUri()).map(Enum::name)
                        .orElse(endpoint.getSecurityPolicyUri()), endpoint.getSecurityMode().name());
            }
            connected(warmClient);
            everConnected = true;
            log.info("OPC UA warm standby session taken over, subscribing connection={} endpoint={}",
                    connection.id(), connection.endpoint());
            return;
        }
        OpcUaClient newClient = MiloClients.create(connection, password, pki, rejected, endpoint -> status.endpointSelected(
                SecurityPolicy.fromUriSafe(endpoint.getSecurityPolicyUri()).map(Enum::name).orElse(endpoint.getSecurityPolicyUri()),
                endpoint.getSecurityMode().name()));
        listenToSession(newClient);
        client = newClient;
        newClient.connect();
        connected(newClient);
    }

    private void listenToSession(OpcUaClient newClient) {
        newClient.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(UaSession session) {
                status.connected(true);
                sessionActive();
            }

            @Override
            public void onSessionInactive(UaSession session) {
                status.connected(false);
                sessionLost();
            }
        });
    }

    /** The client's session is open: it is the one in use from now on. */
    private void connected(OpcUaClient newClient) {
        if (client != newClient) { // a warm standby client: its session opened before anyone listened
            listenToSession(newClient);
            client = newClient;
        }
        status.connected(true);
        status.lastError(null);
        status.untrustedServerCertificate(null);
        status.hubCertificateRefused(null);
        log.info("OPC UA connected connection={} endpoint={} overrideHost={} policy={} mode={} user={}",
                connection.id(), connection.endpoint(), connection.overrideHost(), status.securityPolicy(),
                status.securityMode(), connection.security().userCertificate() != null ? "x509:"
                        + connection.security().userCertificate().getFileName()
                        : connection.username() == null ? "anonymous" : connection.username());
    }

    /**
     * The session is gone while it should be up: every node of the connection reports
     * Bad_NoCommunication now, so consumers see the outage as it happens, not at its end.
     */
    private void sessionLost() {
        if (isStopped() || !everConnected || gapStart != null) {
            return;
        }
        Instant start = Instant.now();
        gapNodeIds = currentNodes().stream().map(MonitoredNode::nodeId).toList();
        gapStart = start;
        log.warn("OPC UA session lost, nodes report Bad_NoCommunication until it is back connection={} endpoint={} nodes={}",
                connection.id(), connection.endpoint(), gapNodeIds.size());
        DateTime now = new DateTime(start);
        DataValue bad = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NoCommunication), null, now);
        execute(() -> currentNodes().forEach(node -> handoff.offer(node, bad)));
    }

    /** The session is (again) active: after a gap, re-read every node and report the gap with start and end. */
    private void sessionActive() {
        everConnected = true;
        Instant start = gapStart;
        if (start == null || isStopped()) {
            return;
        }
        gapStart = null;
        freshen();
        Instant end = Instant.now();
        status.reconnected(Duration.between(start, end));
        log.info("OPC UA session back, re-reading current values connection={} gapMs={} reconnects={}",
                connection.id(), Duration.between(start, end).toMillis(), status.reconnects());
        List<String> affected = gapNodeIds;
        execute(() -> {
            rediscoverIfDue();
            rereadValues();
            gaps.onDataGap(start, end, affected,
                    "OPC UA session to " + connection.endpoint() + " lost; values re-read after reconnect");
        });
    }

    private void execute(Runnable task) {
        try {
            setup.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            log.debug("OPC UA connection stopping, task skipped connection={}", connection.id());
        }
    }

    /** Reads the current value of every node, in calls of {@value #DEFAULT_BATCH}, into the hand-off. */
    private void rereadValues() {
        OpcUaClient current = client;
        if (current == null) {
            return;
        }
        int read = 0;
        List<MonitoredNode> allNodes = currentNodes();
        for (int from = 0; from < allNodes.size(); from += DEFAULT_BATCH) {
            List<MonitoredNode> chunk = allNodes.subList(from, Math.min(from + DEFAULT_BATCH, allNodes.size()));
            List<MonitoredNode> known = new ArrayList<>(chunk.size());
            List<NodeId> ids = new ArrayList<>(chunk.size());
            for (MonitoredNode node : chunk) {
                ExpandedNodeId.parse(node.nodeId()).toNodeId(current.getNamespaceTable()).ifPresent(id -> {
                    known.add(node);
                    ids.add(id);
                });
            }
            try {
                List<DataValue> values = current.readValues(0.0, TimestampsToReturn.Both, ids);
                for (int i = 0; i < values.size(); i++) {
                    handoff.offer(known.get(i), values.get(i));
                }
                read += values.size();
            } catch (UaException e) {
                log.warn("OPC UA re-read after reconnect failed connection={} nodes={} reason={}",
                        connection.id(), ids.size(), e.getStatusCode());
            }
        }
        log.info("OPC UA current values re-read connection={} nodes={}", connection.id(), read);
    }

    /** The listed nodes, then the discovered ones. */
    private List<MonitoredNode> currentNodes() {
        List<MonitoredNode> nodes = new ArrayList<>(allNodes);
        synchronized (discovered) {
            discovered.values().forEach(d -> nodes.add(d.node()));
        }
        return nodes;
    }

    /** Counts every node as just seen: after (re)connecting, silence is measured from now. */
    private void freshen() {
        long now = System.nanoTime();
        currentNodes().forEach(node -> node.seen(now));
    }

    private void scheduleWatchdog() {
        boolean any = !watched.isEmpty() || (connection.browse() != null && connection.browse().settings().staleTimeout() != null);
        if (watchdogScheduled || !any) {
            return;
        }
        watchdogScheduled = true;
        setup.scheduleWithFixedDelay(this::flagStale, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Stale watchdog: a node silent for its group's {@code stale-after} publishing intervals while
     * the session is up and subscribed gets one reading with Uncertain_LastUsableValue (a signal of
     * quality UNCERTAIN) and a log line; its next value clears the flag.
     */
    private void flagStale() {
        if (isStopped() || !status.isConnected() || !status.isSubscribed() || gapStart != null) {
            return;
        }
        long now = System.nanoTime();
        List<MonitoredNode> stale = new ArrayList<>();
        watched.forEach((node, timeout) -> {
            if (!node.isStale() && now - node.lastSeenNanos() > timeout) {
                stale.add(node);
            }
        });
        Duration browseTimeout = connection.browse() == null ? null : connection.browse().settings().staleTimeout();
        if (browseTimeout != null) {
            synchronized (discovered) {
                for (DiscoveredItem item : discovered.values()) {
                    if (!item.node().isStale() && now - item.node().lastSeenNanos() > browseTimeout.toNanos()) {
                        stale.add(item.node());
                    }
                }
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        DateTime stamp = DateTime.now();
        DataValue uncertain = new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Uncertain_LastUsableValue), null, stamp);
        for (MonitoredNode node : stale) {
            node.markStale();
            handoff.offer(node, uncertain);
        }
        status.staleFlagged(stale.size());
        log.warn("OPC UA nodes silent too long, flagged UNCERTAIN connection={} nodes={} first={}",
                connection.id(), stale.size(), stale.get(0).nodeId());
    }

    private void scheduleRebrowse() {
        if (rebrowseScheduled) {
            return;
        }
        rebrowseScheduled = true;
        long every = connection.browse().interval().toMillis();
        setup.scheduleWithFixedDelay(this::discover, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Browses, then subscribes what is new and deletes the items of what is gone; runs on the setup
     * thread (at connect and every {@code browse.interval}). Tells the listener when the set changed.
     */
    private void discover() {
        OpcUaClient current = client;
        if (current == null || !status.isConnected() || isStopped()) {
            return;
        }
        long started = System.nanoTime();
        Map<String, BrowseDiscovery.Found> found;
        try {
            found = discovery.browse(current);
        } catch (UaException | RuntimeException e) {
            status.lastError("browse: " + e);
            log.warn("OPC UA browse failed, the subscribed variables stay as they are connection={} root={} reason={}",
                    connection.id(), connection.browse().root(), e.toString());
            return;
        }
        List<DiscoveredItem> gone = new ArrayList<>();
        List<BrowseDiscovery.Found> added = new ArrayList<>();
        synchronized (discovered) {
            for (DiscoveredItem item : discovered.values()) {
                if (!found.containsKey(item.found().nodeId())) {
                    gone.add(item);
                }
            }
            gone.forEach(item -> discovered.remove(item.found().nodeId()));
            for (BrowseDiscovery.Found f : found.values()) {
                if (!discovered.containsKey(f.nodeId())) {
                    added.add(f);
                }
            }
        }
        if (!added.isEmpty() || !gone.isEmpty()) {
            // before the new items exist: the asset registry must know a variable's browse path
            // before its first value arrives, or that value finds no asset and is dead-lettered
            // (seen against node-opcua: the first value of every discovered variable)
            Map<String, String> paths = new LinkedHashMap<>();
            found.values().forEach(f -> paths.put(f.nodeId(), f.browsePath()));
            discoveryListener.onDiscovered(paths);
        }
        removeItems(gone);
        int failed = addItems(current, added);
        status.discovered(discovered.size(), failed);
        log.info("OPC UA browse done connection={} root={} found={} added={} removed={} failed={} tookMs={}",
                connection.id(), connection.browse().root(), found.size(), added.size(), gone.size(), failed,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void removeItems(List<DiscoveredItem> gone) {
        Map<OpcUaSubscription, List<OpcUaMonitoredItem>> bySubscription = new java.util.IdentityHashMap<>();
        gone.forEach(d -> bySubscription.computeIfAbsent(d.subscription(), k -> new ArrayList<>()).add(d.item()));
        bySubscription.forEach((subscription, items) -> {
            subscription.removeMonitoredItems(items);
            try {
                subscription.synchronizeMonitoredItems();
            } catch (Exception e) {
                log.warn("OPC UA items of removed nodes not deleted on the server connection={} items={} reason={}",
                        connection.id(), items.size(), e.toString());
            }
        });
    }

    /** Creates items for what browsing found new, filling subscriptions up to {@value #MAX_ITEMS_PER_SUBSCRIPTION}; returns how many the server refused. */
    private int addItems(OpcUaClient current, List<BrowseDiscovery.Found> added) {
        SubscriptionSettings settings = connection.browse().settings();
        int failed = 0;
        int batchSize = batchSize();
        int next = 0;
        while (next < added.size()) {
            OpcUaSubscription subscription = discoverySubscriptions.isEmpty()
                    ? null : discoverySubscriptions.get(discoverySubscriptions.size() - 1);
            if (subscription == null || subscription.getMonitoredItems().size() >= MAX_ITEMS_PER_SUBSCRIPTION) {
                subscription = new OpcUaSubscription(current, (double) settings.publishingInterval().toMillis());
                subscription.setSubscriptionListener(new RediscoverWhenLost());
                try {
                    subscription.setMaxMonitoredItemsPerCall(uint(batchSize));
                    subscription.create();
                } catch (UaException e) {
                    log.warn("OPC UA subscription for discovered variables not created connection={} reason={}",
                            connection.id(), e.getStatusCode());
                    return failed + added.size() - next;
                }
                discoverySubscriptions.add(subscription);
            }
            int room = Math.min(MAX_ITEMS_PER_SUBSCRIPTION - subscription.getMonitoredItems().size(), batchSize);
            List<BrowseDiscovery.Found> chunk = added.subList(next, Math.min(next + room, added.size()));
            next += chunk.size();
            List<OpcUaMonitoredItem> items = new ArrayList<>(chunk.size());
            Map<OpcUaMonitoredItem, DiscoveredItem> byItem = new java.util.IdentityHashMap<>();
            for (BrowseDiscovery.Found f : chunk) {
                MonitoredNode node = new MonitoredNode(f.nodeId(), handoff);
                NodeId nodeId = ExpandedNodeId.parse(f.nodeId()).toNodeId(current.getNamespaceTable()).orElseThrow();
                OpcUaMonitoredItem item = MonitoredItemBatches.monitoredItem(nodeId, new MonitoredItemBatches.NodeItem(
                        new OpcUaNode(f.nodeId(), f.browsePath()), settings, node));
                items.add(item);
                byItem.put(item, new DiscoveredItem(f, node, subscription, item));
            }
            subscription.addMonitoredItems(items);
            for (var result : subscription.createMonitoredItems(byItem::containsKey)) {
                StatusCode code = result.serviceResult().isGood()
                        ? result.operationResult().orElse(StatusCode.GOOD) : result.serviceResult();
                DiscoveredItem item = byItem.get(result.monitoredItem());
                if (code.isGood()) {
                    synchronized (discovered) {
                        discovered.put(item.found().nodeId(), item);
                    }
                } else {
                    failed++;
                    subscription.removeMonitoredItem(result.monitoredItem());
                    log.warn("OPC UA discovered variable rejected connection={} node={} browsePath={} status={}",
                            connection.id(), item.found().nodeId(), item.found().browsePath(),
                            MonitoredItemBatches.statusName(code));
                }
            }
        }
        return failed;
    }

    /** A discovery subscription the server lost: forget them all and discover afresh. */
    private final class RediscoverWhenLost implements SubscriptionListener {

        @Override
        public void onTransferFailed(OpcUaSubscription subscription, StatusCode code) {
            log.warn("OPC UA subscription of discovered variables lost, browsing again connection={} reason={}",
                    connection.id(), MonitoredItemBatches.statusName(code));
            // Milo reports the failed transfer while it re-activates the session, before the
            // session is active: browse now if it is, else when it becomes active (sessionActive)
            rediscoverDue = true;
            execute(SubscriptionSession.this::rediscoverIfDue);
        }
    }

    /** Runs on the setup thread: forgets the discovered variables and browses afresh, once the session is active. */
    private void rediscoverIfDue() {
        if (!rediscoverDue || client == null || !status.isConnected() || isStopped()) {
            return;
        }
        rediscoverDue = false;
        forgetDiscovered();
        discover();
    }

    private void forgetDiscovered() {
        synchronized (discovered) {
            discovered.clear();
        }
        discoverySubscriptions.clear();
    }

    private void disconnectQuietly() {
        OpcUaClient current = client;
        client = null;
        subscriptions.clear();
        forgetDiscovered();
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
        int total = subscriptions.stream().mapToInt(g -> g.items().size()).sum();
        CreationProgress progress = new CreationProgress(connection.id(), status, total);
        for (GroupSubscription group : subscriptions) {
            OpcUaSubscription subscription = group.subscription();
            if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
                subscription.setMaxMonitoredItemsPerCall(uint(batchSize));
                subscription.create();
            }
            MonitoredItemBatches.create(client, group.subscription(), group.items(), batchSize, progress);
        }
        progress.finish(subscriptions.size(), batchSize);
    }

    /** One subscription per publishing interval and per {@value #MAX_ITEMS_PER_SUBSCRIPTION} items of it. */
    private void prepare() {
        Map<Duration, GroupSubscription> filling = new LinkedHashMap<>();
        for (NodeGroup group : connection.groups()) {
            Duration interval = group.settings().publishingInterval();
            for (OpcUaNode node : group.nodes()) {
                GroupSubscription target = filling.get(interval);
                if (target == null || target.items().size() >= MAX_ITEMS_PER_SUBSCRIPTION) {
                    OpcUaSubscription subscription = new OpcUaSubscription(client, (double) interval.toMillis());
                    subscription.setSubscriptionListener(new Recreate());
                    target = new GroupSubscription(interval, subscription, new ArrayList<>());
                    filling.put(interval, target);
                    subscriptions.add(target);
                }
                target.items().add(new MonitoredItemBatches.NodeItem(
                        node, group.settings(), nodesById.get(node.nodeId())));
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
