package io.millwright.ot.opcua;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What one connection is doing: session, monitored items, hand-off. Updated by the consumer's
 * threads, read by health checks and metrics; every read is a lock-free snapshot of counters.
 */
public final class OpcUaConnectionStatus {

    /** Failed items kept with their status for the health output; the count is always complete. */
    static final int MAX_FAILURES_KEPT = 100;

    private final String connection;
    private volatile String endpoint;
    private volatile int handoffCapacity;

    private volatile boolean connected;
    private volatile String lastError;
    private volatile String securityPolicy;
    private volatile String securityMode;
    private volatile Map<String, String> untrustedServerCertificate;
    private volatile Map<String, String> hubCertificateRefused;
    private final AtomicInteger reconnects = new AtomicInteger();
    private volatile int discoveredItems = -1;
    private final java.util.concurrent.atomic.AtomicLong staleFlagged = new java.util.concurrent.atomic.AtomicLong();
    private volatile int discoveryFailed;
    private volatile long lastBrowseMillis;
    private volatile Duration lastGap;
    private volatile long lastValueMillis;
    private long rateSampleNanos = System.nanoTime();
    private long rateSampleReceived;
    private double valuesPerSecond;
    private final AtomicInteger requested = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private volatile Duration creationTime;
    private volatile IntSupplier handoffDepth = () -> 0;

    final LongAdder received = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder blocked = new LongAdder();
    final LongAdder blockedNanos = new LongAdder();

    /** A status for {@code connection}, nothing requested yet. */
    public OpcUaConnectionStatus(String connection, String endpoint, int handoffCapacity) {
        this.connection = connection;
        this.endpoint = endpoint;
        this.handoffCapacity = handoffCapacity;
    }

    public String connection() {
        return connection;
    }

    public boolean isConnected() {
        return connected;
    }

    /** True once every requested item was created or rejected by the server. */
    public boolean isSubscribed() {
        return creationTime != null;
    }

    public int requested() {
        return requested.get();
    }

    public int created() {
        return created.get();
    }

    public int failed() {
        return failed.get();
    }

    /** Changes Milo handed over since start. */
    public long received() {
        return received.sum();
    }

    /** Changes dropped because the hand-off was full (policy drop-oldest) or the consumer stopped. */
    public long dropped() {
        return dropped.sum();
    }

    /** How often the notification thread had to wait for room (policy block). */
    public long blockedCount() {
        return blocked.sum();
    }

    /** How long the notification thread waited for room in all, in nanoseconds. */
    public long blockedNanos() {
        return blockedNanos.sum();
    }

    /** Changes waiting in the hand-off. */
    public int handoffDepth() {
        return handoffDepth.getAsInt();
    }

    public int handoffCapacity() {
        return handoffCapacity;
    }

    /** The health details: every figure an operator looks at, by name. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("endpoint", endpoint);
        details.put("connected", connected);
        if (securityPolicy != null) {
            details.put("securityPolicy", securityPolicy);
            details.put("securityMode", securityMode);
        }
        Map<String, String> untrusted = untrustedServerCertificate;
        if (untrusted != null) {
            details.put("untrustedServerCertificate", untrusted);
        }
        Map<String, String> refusedHub = hubCertificateRefused;
        if (refusedHub != null) {
            details.put("hubCertificateRefused", refusedHub);
        }
        details.put("reconnects", reconnects());
        if (lastGap != null) {
            details.put("lastGap", lastGap.toString());
        }
        details.put("lastValueTime", lastValueMillis == 0 ? null : java.time.Instant.ofEpochMilli(lastValueMillis).toString());
        details.put("valuesPerSecond", valuesPerSecond());
        if (discoveredItems >= 0) {
            details.put("discoveredItems", discoveredItems);
            details.put("discoveredFailed", discoveryFailed);
            details.put("lastBrowse", java.time.Instant.ofEpochMilli(lastBrowseMillis).toString());
        }
        details.put("staleFlagged", staleFlagged());
        details.put("itemsRequested", requested());
        details.put("itemsCreated", created());
        details.put("itemsFailed", failed());
        synchronized (failures) {
            if (!failures.isEmpty()) {
                details.put("failedItems", new LinkedHashMap<>(failures));
            }
        }
        details.put("creationTime", creationTime == null ? "in progress" : creationTime.toString());
        details.put("received", received());
        details.put("dropped", dropped());
        details.put("blocked", blockedCount());
        details.put("handoffDepth", handoffDepth());
        details.put("handoffCapacity", handoffCapacity);
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        return details;
    }

    /** The endpoint URL of the connection file. */
    public String endpoint() {
        return endpoint;
    }

    /** The last connection failure, or null. */
    public String lastError() {
        return lastError;
    }

    /** The server certificate the hub refused, by field (server, subject, thumbprint, file, trust); null when none. */
    public Map<String, String> untrustedServerCertificate() {
        return untrustedServerCertificate;
    }

    /** The security policy (Milo name) of the endpoint in use, or null before the first connect. */
    public String securityPolicy() {
        return securityPolicy;
    }

    /** The message security mode of the endpoint in use, or null before the first connect. */
    public String securityMode() {
        return securityMode;
    }

    /** Sessions re-established after a loss since start. */
    public int reconnects() {
        return reconnects.get();
    }

    /** Values per second received since the previous call (at least 1 s apart; in between, the last figure). */
    public synchronized double valuesPerSecond() {
        long now = System.nanoTime();
        long elapsed = now - rateSampleNanos;
        if (elapsed >= 1_000_000_000L) {
            long total = received();
            valuesPerSecond = Math.round((total - rateSampleReceived) * 10 * 1e9 / elapsed) / 10.0;
            rateSampleNanos = now;
            rateSampleReceived = total;
        }
        return valuesPerSecond;
    }

    /** Wall-clock milliseconds of the last batch handed to the route, 0 before the first. */
    public long lastValueMillis() {
        return lastValueMillis;
    }

    /** Variables browse discovery has subscribed; -1 when the connection does not browse. */
    public int discoveredItems() {
        return discoveredItems;
    }

    void discovered(int items, int failed) {
        discoveredItems = items;
        discoveryFailed = failed;
        lastBrowseMillis = System.currentTimeMillis();
    }

    /** Times a node was flagged stale (silent too long while connected) since start. */
    public long staleFlagged() {
        return staleFlagged.get();
    }

    void staleFlagged(int nodes) {
        staleFlagged.addAndGet(nodes);
    }

    void valuesDelivered() {
        lastValueMillis = System.currentTimeMillis();
    }

    void reconnected(Duration gap) {
        reconnects.incrementAndGet();
        lastGap = gap;
    }

    /** The connection's file was reloaded: counters carry on, the endpoint and capacity are the new ones. */
    void reconfigured(String endpoint, int handoffCapacity) {
        this.endpoint = endpoint;
        this.handoffCapacity = handoffCapacity;
        this.securityPolicy = null;
        this.securityMode = null;
    }

    void endpointSelected(String policy, String mode) {
        this.securityPolicy = policy;
        this.securityMode = mode;
    }

    /** While the server refuses the secure channel (most likely: it does not trust the hub's certificate), what to do; else null. */
    public Map<String, String> hubCertificateRefused() {
        return hubCertificateRefused;
    }

    void hubCertificateRefused(Map<String, String> details) {
        this.hubCertificateRefused = details == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    void untrustedServerCertificate(Map<String, String> certificate) {
        this.untrustedServerCertificate = certificate == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(certificate));
    }

    void connected(boolean connected) {
        this.connected = connected;
    }

    void lastError(String error) {
        this.lastError = error;
    }

    void creationStarted(int requestedItems) {
        requested.set(requestedItems);
        created.set(0);
        failed.set(0);
        synchronized (failures) {
            failures.clear();
        }
        creationTime = null;
    }

    void itemCreated() {
        created.incrementAndGet();
    }

    void itemFailed(String nodeId, String status) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < MAX_FAILURES_KEPT) {
                failures.put(nodeId, status);
            }
        }
    }

    void creationFinished(Duration took) {
        creationTime = took;
    }

    void handoffDepth(IntSupplier depth) {
        this.handoffDepth = depth;
    }
}
