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

    MonitoredNode(String nodeId, Handoff handoff) {
        this.nodeId = nodeId;
        this.handoff = handoff;
    }

    String nodeId() {
        return nodeId;
    }

    @Override
    public void onDataReceived(OpcUaMonitoredItem item, DataValue value) {
        handoff.offer(this, value);
    }
}
