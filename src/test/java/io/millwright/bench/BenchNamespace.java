package io.millwright.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.AddressSpace.ReadContext;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

/**
 * The benchmark's address space, {@value BenchOpcUaServer#NAMESPACE_URI}: a folder {@code Bench}
 * under Objects holding N read-only Int64 variables {@code Bench.V000000} ... with string node
 * ids.
 *
 * <p>Push style, as the plant simulator (REFERENCE §3.5): the namespace keeps the monitored items
 * of each variable and {@link #advance} hands every new value straight to them, instead of
 * letting Milo's {@code SubscriptionModel} poll each item at its sampling interval. The sampling
 * interval a client asks for is accepted and revised as usual but does not change when values
 * arrive: each change is queued to the item as it happens, and the item's queue size decides
 * whether two changes within one publishing interval both reach the client.
 */
final class BenchNamespace extends ManagedNamespaceWithLifecycle {

    private static final DataItem[] NO_ITEMS = new DataItem[0];

    private final int size;
    private final UaVariableNode[] variables;
    private final AtomicReferenceArray<DataItem[]> itemsByIndex;
    private final AtomicInteger monitoredItems = new AtomicInteger();

    BenchNamespace(OpcUaServer server, int size) {
        super(server, BenchOpcUaServer.NAMESPACE_URI);
        this.size = size;
        this.variables = new UaVariableNode[size];
        this.itemsByIndex = new AtomicReferenceArray<>(size);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    /** Monitored items (of any client) on the benchmark variables right now. */
    int monitoredItems() {
        return monitoredItems.get();
    }

    /**
     * Sets variables {@code from} (inclusive) to {@code to} (exclusive) to {@code value} and queues
     * it to each of their monitored items. Called by one thread only, the server's tick.
     */
    void advance(int from, int to, DataValue value) {
        DataValue[] derived = new DataValue[TimestampsToReturn.values().length];
        for (int i = from; i < to; i++) {
            variables[i].setValue(value);
            DataItem[] items = itemsByIndex.get(i);
            if (items == null) {
                continue;
            }
            for (DataItem item : items) {
                if (item.isSamplingEnabled()) {
                    item.setValue(derived(value, item.getTimestampsToReturn(), derived));
                }
            }
        }
    }

    private static DataValue derived(DataValue value, TimestampsToReturn timestamps, DataValue[] cache) {
        if (timestamps == null || timestamps == TimestampsToReturn.Both) {
            return value;
        }
        int slot = timestamps.ordinal();
        DataValue result = cache[slot];
        if (result == null) {
            result = DataValue.derivedValue(value, timestamps);
            cache[slot] = result;
        }
        return result;
    }

    private void addNodes() {
        UaFolderNode folder = new UaFolderNode(
                getNodeContext(), newNodeId("Bench"), newQualifiedName("Bench"), LocalizedText.english("Bench"));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(
                folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));
        DateTime now = DateTime.now();
        DataValue initial = new DataValue(new Variant(0L), StatusCode.GOOD, now, now);
        for (int i = 0; i < size; i++) {
            String identifier = BenchOpcUaServer.identifier(i);
            UaVariableNode variable = UaVariableNode.builder(getNodeContext())
                    .setNodeId(newNodeId(identifier))
                    .setBrowseName(newQualifiedName(identifier))
                    .setDisplayName(LocalizedText.english(identifier))
                    .setDataType(NodeIds.Int64)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setValue(initial)
                    .build();
            getNodeManager().addNode(variable);
            folder.addOrganizes(variable);
            variables[i] = variable;
        }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        for (DataItem item : dataItems) {
            int index = indexOf(item.getReadValueId().getNodeId());
            if (index >= 0 && AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
                add(index, item);
                // the initial notification (OPC UA Part 4, 5.12.1.4)
                if (item.isSamplingEnabled()) {
                    item.setValue(derived(variables[index].getValue(), item.getTimestampsToReturn(), new DataValue[4]));
                }
            } else {
                // the folder or an attribute other than Value never changes here: report it once
                DataValue value = read(
                                new ReadContext(getServer(), item.getSession()),
                                0d,
                                TimestampsToReturn.Both,
                                List.of(item.getReadValueId()))
                        .get(0);
                if (item.isSamplingEnabled()) {
                    item.setValue(value);
                }
            }
        }
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        // values are pushed as they change, whatever the sampling interval
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        for (DataItem item : dataItems) {
            int index = indexOf(item.getReadValueId().getNodeId());
            if (index >= 0 && AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
                remove(index, item);
            }
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        for (MonitoredItem item : monitoredItems) {
            int index = indexOf(item.getReadValueId().getNodeId());
            if (item instanceof DataItem dataItem && index >= 0 && dataItem.isSamplingEnabled()) {
                dataItem.setValue(variables[index].getValue());
            }
        }
    }

    private synchronized void add(int index, DataItem item) {
        DataItem[] items = itemsByIndex.get(index);
        items = items == null ? NO_ITEMS : items;
        DataItem[] grown = Arrays.copyOf(items, items.length + 1);
        grown[items.length] = item;
        itemsByIndex.set(index, grown);
        monitoredItems.incrementAndGet();
    }

    private synchronized void remove(int index, DataItem item) {
        DataItem[] items = itemsByIndex.get(index);
        if (items == null) {
            return;
        }
        DataItem[] kept = Arrays.stream(items).filter(i -> i != item).toArray(DataItem[]::new);
        if (kept.length < items.length) {
            monitoredItems.addAndGet(kept.length - items.length);
        }
        itemsByIndex.set(index, kept.length == 0 ? null : kept);
    }

    /** The variable's index, or -1 if the node is not one of the benchmark variables. */
    private int indexOf(NodeId nodeId) {
        if (nodeId.getNamespaceIndex().intValue() != getNamespaceIndex().intValue()
                || !(nodeId.getIdentifier() instanceof String identifier)) {
            return -1;
        }
        int index = BenchOpcUaServer.indexOf(identifier);
        return index < size ? index : -1;
    }
}
