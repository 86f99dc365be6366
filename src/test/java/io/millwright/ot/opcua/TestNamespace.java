package io.millwright.ot.opcua;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * Variables the test sets, in {@value #URI}. "Sampled" variables are read by Milo's
 * {@link SubscriptionModel} at each item's sampling interval, so the interval the client asked for
 * decides what the client sees; "pushed" variables hand every value straight to their items
 * (deterministic, for filters and back-pressure). Counts the CreateMonitoredItems calls that reach
 * this namespace and the largest one.
 */
final class TestNamespace extends ManagedNamespaceWithLifecycle {

    static final String URI = "urn:millwright:test:opcua";

    private final Map<NodeId, UaVariableNode> variables = new ConcurrentHashMap<>();
    private final Map<String, UaFolderNode> folders = new ConcurrentHashMap<>();
    private final Set<NodeId> sampled = ConcurrentHashMap.newKeySet();
    private final Map<NodeId, Set<DataItem>> pushedItems = new ConcurrentHashMap<>();
    private final SubscriptionModel subscriptionModel;
    private final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicInteger largestCreateCall = new AtomicInteger();

    TestNamespace(OpcUaServer server) {
        super(server, URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
    }

    /** The node id as a connection file writes it. */
    static String nodeId(String name) {
        return "nsu=" + URI + ";s=" + name;
    }

    void addSampled(String name, Object initial) {
        sampled.add(add(name, initial).getNodeId());
    }

    void addPushed(String name, Object initial) {
        add(name, initial);
    }

    /**
     * A pushed variable at {@code path} below the Objects folder ({@code Plant1/Line1/M1/GoodCount}),
     * its folders made as needed, each organized by its parent; node id {@code s=<path>}.
     */
    void addBrowsable(String path, Object initial) {
        int slash = path.lastIndexOf('/');
        UaFolderNode folder = folder(path.substring(0, slash));
        UaVariableNode variable = add(path, path.substring(slash + 1), initial);
        folder.addOrganizes(variable);
    }

    /** Takes a variable of {@link #addBrowsable} out of the address space. */
    void removeBrowsable(String path) {
        UaVariableNode variable = variables.remove(newNodeId(path));
        UaFolderNode folder = folders.get(path.substring(0, path.lastIndexOf('/')));
        folder.removeReference(new Reference(folder.getNodeId(), NodeIds.Organizes, variable.getNodeId().expanded(), true));
        getNodeManager().removeNode(variable.getNodeId());
    }

    private UaFolderNode folder(String path) {
        UaFolderNode existing = folders.get(path);
        if (existing != null) {
            return existing;
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("folder:" + path),
                newQualifiedName(name), LocalizedText.english(name));
        getNodeManager().addNode(folder);
        if (slash < 0) {
            folder.addReference(new Reference(folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
        } else {
            folder(path.substring(0, slash)).addOrganizes(folder);
        }
        folders.put(path, folder);
        return folder;
    }

    private UaVariableNode add(String name, Object initial) {
        return add(name, name, initial);
    }

    private UaVariableNode add(String name, String browseName, Object initial) {
        DateTime now = DateTime.now();
        UaVariableNode variable = UaVariableNode.builder(getNodeContext())
                .setNodeId(newNodeId(name))
                .setBrowseName(newQualifiedName(browseName))
                .setDisplayName(LocalizedText.english(browseName))
                // numeric types, so the server allows a deadband on them
                .setDataType(initial instanceof Double ? NodeIds.Double : initial instanceof Long ? NodeIds.Int64 : NodeIds.BaseDataType)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(AccessLevel.READ_ONLY)
                .setUserAccessLevel(AccessLevel.READ_ONLY)
                .setValue(new DataValue(new Variant(initial), StatusCode.GOOD, now, now))
                .build();
        getNodeManager().addNode(variable);
        variables.put(variable.getNodeId(), variable);
        return variable;
    }

    /** A new Good value stamped now. */
    void set(String name, Object value) {
        DateTime now = DateTime.now();
        set(name, new DataValue(new Variant(value), StatusCode.GOOD, now, now));
    }

    void set(String name, DataValue value) {
        NodeId nodeId = newNodeId(name);
        variables.get(nodeId).setValue(value);
        for (DataItem item : pushedItems.getOrDefault(nodeId, Set.of())) {
            item.setValue(value);
        }
    }

    int createCalls() {
        return createCalls.get();
    }

    int largestCreateCall() {
        return largestCreateCall.get();
    }

    @Override
    public void onDataItemsCreated(List<DataItem> items) {
        createCalls.incrementAndGet();
        largestCreateCall.accumulateAndGet(items.size(), Math::max);
        List<DataItem> toSample = items.stream()
                .filter(i -> sampled.contains(i.getReadValueId().getNodeId()))
                .toList();
        subscriptionModel.onDataItemsCreated(toSample);
        for (DataItem item : items) {
            NodeId nodeId = item.getReadValueId().getNodeId();
            UaVariableNode variable = variables.get(nodeId);
            if (variable != null && !sampled.contains(nodeId)) {
                pushedItems.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet()).add(item);
                item.setValue(variable.getValue()); // the initial value (OPC 10000-4 5.12.1.4)
            }
        }
    }

    @Override
    public void onDataItemsModified(List<DataItem> items) {
        subscriptionModel.onDataItemsModified(items);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> items) {
        subscriptionModel.onDataItemsDeleted(items);
        for (DataItem item : items) {
            Set<DataItem> pushed = pushedItems.get(item.getReadValueId().getNodeId());
            if (pushed != null) {
                pushed.remove(item);
            }
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> items) {
        subscriptionModel.onMonitoringModeChanged(items);
    }
}
