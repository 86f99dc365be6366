package io.millwright.ot.opcua;

import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem.DataValueListener;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * One subscribed node: the node id as written in the connection file, and the listener Milo calls
 * with its changes. One instance per node, made once, so a change costs no lookup and no lambda.
 */
final class MonitoredNode implements DataValueListener {

    private final String nodeId;
    private final Handoff handoff;
    /** The hand-off partition (worker) its changes go to: its asset's. */
    private final int partition;
    /** Stale watchdog: when the worker last handed a value of this node on (System.nanoTime), and whether it is flagged. */
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile boolean stale;

    MonitoredNode(String nodeId, Handoff handoff) {
        this.nodeId = nodeId;
        this.handoff = handoff;
        this.partition = handoff.partitionOf(nodeId);
    }

    int partition() {
        return partition;
    }

    /** Called by the worker once per batch for each node in it: fresh again. */
    void seen(long nanos) {
        lastSeenNanos = nanos;
        stale = false;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    boolean isStale() {
        return stale;
    }

    void markStale() {
        stale = true;
    }

    String nodeId() {
        return nodeId;
    }

    @Override
    public void onDataReceived(OpcUaMonitoredItem item, DataValue value) {
        handoff.offer(this, value);
    }
}
