package io.millwright.sim.plant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

/**
 * The plant's address space, {@value #URI}: a folder per line ({@code Line1}) under Objects, a
 * folder per machine ({@code Line1.Machine1}) and one read-only variable per tag
 * ({@code Line1.Machine1.State}), all with string node ids.
 *
 * <p>Push style (REFERENCE §3.5): the namespace keeps the monitored items per node and hands each
 * new value to them as the tick produces it, instead of letting Milo's {@code SubscriptionModel}
 * poll every item. Only values that changed are pushed.
 */
final class PlantNamespace extends ManagedNamespaceWithLifecycle {

    static final String URI = "urn:millwright:sim:plant";

    /** The variables of one machine, with their OPC UA built-in types. */
    enum Tag {
        State(NodeIds.String),
        GoodCount(NodeIds.UInt32),
        ScrapCount(NodeIds.UInt32),
        Temperature(NodeIds.Double),
        Vibration(NodeIds.Double),
        OrderId(NodeIds.String),
        Operation(NodeIds.String);

        final NodeId dataType;

        Tag(NodeId dataType) {
            this.dataType = dataType;
        }

        /** The tag's value in a snapshot, typed as the variable's data type. */
        Object valueOf(MachineSnapshot s) {
            return switch (this) {
                case State -> s.state();
                // UInt32 like a PLC's UDINT counter; wraps at 2^32, far beyond any simulated run
                case GoodCount -> Unsigned.uint(s.goodCount());
                case ScrapCount -> Unsigned.uint(s.scrapCount());
                case Temperature -> s.temperature();
                case Vibration -> s.vibration();
                case OrderId -> s.orderId();
                case Operation -> s.operation();
            };
        }
    }

    private final List<MachineSnapshot> initial;
    private final Map<NodeId, UaVariableNode> variables = new ConcurrentHashMap<>();
    private final Map<NodeId, Set<DataItem>> itemsByNode = new ConcurrentHashMap<>();

    PlantNamespace(OpcUaServer server, List<MachineSnapshot> initial) {
        super(server, URI);
        this.initial = List.copyOf(initial);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    static String variableId(int line, int machine, Tag tag) {
        return "Line" + line + ".Machine" + machine + "." + tag.name();
    }

    private void addNodes() {
        DateTime now = DateTime.now();
        Map<Integer, UaFolderNode> lineFolders = new HashMap<>();
        for (MachineSnapshot snapshot : initial) {
            UaFolderNode lineFolder = lineFolders.computeIfAbsent(snapshot.line(), this::addLineFolder);
            String machineName = "Machine" + snapshot.machine();
            UaFolderNode machineFolder = addFolder("Line" + snapshot.line() + "." + machineName, machineName);
            lineFolder.addOrganizes(machineFolder);
            for (Tag tag : Tag.values()) {
                UaVariableNode variable = UaVariableNode.builder(getNodeContext())
                        .setNodeId(newNodeId(variableId(snapshot.line(), snapshot.machine(), tag)))
                        .setBrowseName(newQualifiedName(tag.name()))
                        .setDisplayName(LocalizedText.english(tag.name()))
                        .setDataType(tag.dataType)
                        .setTypeDefinition(NodeIds.BaseDataVariableType)
                        .setAccessLevel(AccessLevel.READ_ONLY)
                        .setUserAccessLevel(AccessLevel.READ_ONLY)
                        .setValue(new DataValue(new Variant(tag.valueOf(snapshot)), StatusCode.GOOD, now, now))
                        .build();
                getNodeManager().addNode(variable);
                machineFolder.addOrganizes(variable);
                variables.put(variable.getNodeId(), variable);
            }
        }
    }

    private UaFolderNode addLineFolder(int line) {
        UaFolderNode folder = addFolder("Line" + line, "Line" + line);
        folder.addReference(new Reference(
                folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));
        return folder;
    }

    private UaFolderNode addFolder(String id, String name) {
        UaFolderNode folder = new UaFolderNode(
                getNodeContext(), newNodeId(id), newQualifiedName(name), LocalizedText.english(name));
        getNodeManager().addNode(folder);
        return folder;
    }

    /** Sets the machine's variables to the snapshot's values and pushes those that changed. */
    void publish(MachineSnapshot snapshot, DateTime time) {
        for (Tag tag : Tag.values()) {
            NodeId nodeId = newNodeId(variableId(snapshot.line(), snapshot.machine(), tag));
            UaVariableNode variable = variables.get(nodeId);
            if (variable == null) {
                continue; // not started yet
            }
            Object value = tag.valueOf(snapshot);
            if (Objects.equals(variable.getValue().getValue().getValue(), value)) {
                continue;
            }
            DataValue dataValue = new DataValue(new Variant(value), StatusCode.GOOD, time, time);
            variable.setValue(dataValue);
            for (DataItem item : itemsByNode.getOrDefault(nodeId, Set.of())) {
                push(item, dataValue);
            }
        }
    }

    private static void push(DataItem item, DataValue value) {
        if (item.isSamplingEnabled()) {
            TimestampsToReturn timestamps = item.getTimestampsToReturn();
            item.setValue(timestamps == null ? value : DataValue.derivedValue(value, timestamps));
        }
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        for (DataItem item : dataItems) {
            NodeId nodeId = item.getReadValueId().getNodeId();
            UaVariableNode variable = variables.get(nodeId);
            if (variable != null && AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
                itemsByNode.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet()).add(item);
                push(item, variable.getValue()); // the initial notification (OPC UA Part 4, 5.12.1.4)
            } else {
                // other attributes never change here: report them once
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
        // the push does not depend on the sampling interval
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        for (DataItem item : dataItems) {
            Set<DataItem> items = itemsByNode.get(item.getReadValueId().getNodeId());
            if (items != null) {
                items.remove(item);
            }
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        // push() checks isSamplingEnabled() on every value; a re-enabled item gets the current one
        for (MonitoredItem item : monitoredItems) {
            UaVariableNode variable = variables.get(item.getReadValueId().getNodeId());
            if (item instanceof DataItem dataItem && variable != null) {
                push(dataItem, variable.getValue());
            }
        }
    }
}
