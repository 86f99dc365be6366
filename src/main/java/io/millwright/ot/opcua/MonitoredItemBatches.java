package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;

/**
 * Creates the monitored items of one subscription on the server, one CreateMonitoredItems call per
 * batch, and counts each result into the {@link CreationProgress}. On a first run the items are
 * made from the nodes; after the server lost the subscription, the same items are created again.
 */
final class MonitoredItemBatches {

    /** A node with its settings and the listener that takes its changes. */
    record NodeItem(OpcUaNode node, SubscriptionSettings settings, MonitoredNode listener) {}

    private static final String NAMESPACE_UNKNOWN = "Bad_NodeIdUnknown (namespace not on the server)";

    private MonitoredItemBatches() {}

    static void create(
            OpcUaClient client,
            OpcUaSubscription subscription,
            List<NodeItem> nodes,
            int batchSize,
            CreationProgress progress) {
        List<OpcUaMonitoredItem> pending = new ArrayList<>();
        List<OpcUaMonitoredItem> existing = subscription.getMonitoredItems();
        if (existing.isEmpty()) {
            for (NodeItem node : nodes) {
                Optional<NodeId> nodeId =
                        ExpandedNodeId.parse(node.node().nodeId()).toNodeId(client.getNamespaceTable());
                if (nodeId.isEmpty()) {
                    progress.failed(node.node().nodeId(), NAMESPACE_UNKNOWN);
                } else {
                    pending.add(monitoredItem(nodeId.get(), node));
                }
            }
        } else {
            // the subscription was lost and is created again: the same items, and the same
            // nodes without an item (namespace unknown) counted as failed once more
            Set<NodeItem> withItem = Collections.newSetFromMap(new IdentityHashMap<>());
            for (OpcUaMonitoredItem item : existing) {
                item.getUserObject().ifPresent(node -> withItem.add((NodeItem) node));
                if (item.getSyncState() == OpcUaMonitoredItem.SyncState.SYNCHRONIZED) {
                    progress.created();
                } else {
                    pending.add(item);
                }
            }
            for (NodeItem node : nodes) {
                if (!withItem.contains(node)) {
                    progress.failed(node.node().nodeId(), NAMESPACE_UNKNOWN);
                }
            }
        }
        for (int from = 0; from < pending.size(); from += batchSize) {
            List<OpcUaMonitoredItem> batch = pending.subList(from, Math.min(from + batchSize, pending.size()));
            subscription.addMonitoredItems(batch);
            Set<OpcUaMonitoredItem> inBatch = Collections.newSetFromMap(new IdentityHashMap<>());
            inBatch.addAll(batch);
            for (MonitoredItemServiceOperationResult result : subscription.createMonitoredItems(inBatch::contains)) {
                StatusCode code = result.serviceResult().isGood()
                        ? result.operationResult().orElse(StatusCode.GOOD)
                        : result.serviceResult();
                NodeItem node = (NodeItem) result.monitoredItem().getUserObject().orElseThrow();
                if (code.isGood()) {
                    progress.created();
                } else {
                    progress.failed(node.node().nodeId(), statusName(code));
                }
            }
            progress.batchDone();
        }
    }

    static OpcUaMonitoredItem monitoredItem(NodeId nodeId, NodeItem node) {
        SubscriptionSettings settings = node.settings();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId);
        item.setSamplingInterval((double) settings.samplingInterval().toMillis());
        item.setQueueSize(uint(settings.queueSize()));
        item.setDiscardOldest(settings.discardOldest());
        Deadband deadband = settings.deadband();
        if (deadband.type() != Deadband.Type.NONE) {
            item.setFilter(new DataChangeFilter(
                    DataChangeTrigger.StatusValue, uint(deadband.type().opcUaValue()), deadband.value()));
        }
        item.setDataValueListener(node.listener());
        item.setUserObject(node);
        return item;
    }

    /** {@code Bad_NodeIdUnknown}, or the hex code when Milo does not know the name. */
    static String statusName(StatusCode code) {
        return StatusCodes.lookup(code.value()).map(names -> names[0]).orElse(String.format("0x%08X", code.value()));
    }
}
