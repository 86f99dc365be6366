package io.millwright.production;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import io.millwright.testsupport.FreePorts;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * An in-process Milo server playing a machine as many real ones are: its state an Int32 code
 * (1 running, 2 idle, ...), a cumulative good-part counter, an order number, and no operation node.
 * Every value set is handed straight to the monitored items of that node.
 */
final class PressOpcUaServer implements AutoCloseable {

    static final String URI = "urn:millwright:test:press";
    private static final String PATH = "/press";

    private final OpcUaServer server;
    private final PressNamespace namespace;
    private final int port = FreePorts.next();

    PressOpcUaServer(Map<String, Object> initialValues) throws Exception {
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath(PATH)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:millwright:test:press-server")
                .setApplicationName(LocalizedText.english("Press line test server"))
                .setProductUri("urn:millwright:test")
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
        server = new OpcUaServer(config, profile -> profile == TransportProfile.TCP_UASC_UABINARY
                ? new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build())
                : null);
        namespace = new PressNamespace(server);
        initialValues.forEach(namespace::add);
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
    }

    /** The node id as a connection file and the asset registry write it. */
    static String nodeId(String name) {
        return "nsu=" + URI + ";s=" + name;
    }

    String endpointUrl() {
        return "opc.tcp://127.0.0.1:" + port + PATH;
    }

    void set(String name, Object value) {
        namespace.set(name, value);
    }

    @Override
    public void close() {
        namespace.shutdown();
        server.shutdown();
    }

    private static final class PressNamespace extends ManagedNamespaceWithLifecycle {

        private final Map<NodeId, UaVariableNode> variables = new ConcurrentHashMap<>();
        private final Map<NodeId, Set<DataItem>> items = new ConcurrentHashMap<>();

        PressNamespace(OpcUaServer server) {
            super(server, URI);
        }

        void add(String name, Object initial) {
            DateTime now = DateTime.now();
            UaVariableNode variable = UaVariableNode.builder(getNodeContext())
                    .setNodeId(newNodeId(name))
                    .setBrowseName(newQualifiedName(name))
                    .setDisplayName(LocalizedText.english(name))
                    .setDataType(initial instanceof Integer ? NodeIds.Int32 : initial instanceof Long ? NodeIds.Int64 : NodeIds.String)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setValue(new DataValue(new Variant(initial), StatusCode.GOOD, now, now))
                    .build();
            getNodeManager().addNode(variable);
            variables.put(variable.getNodeId(), variable);
        }

        void set(String name, Object value) {
            DateTime now = DateTime.now();
            DataValue dataValue = new DataValue(new Variant(value), StatusCode.GOOD, now, now);
            NodeId nodeId = newNodeId(name);
            variables.get(nodeId).setValue(dataValue);
            items.getOrDefault(nodeId, Set.of()).forEach(item -> item.setValue(dataValue));
        }

        @Override
        public void onDataItemsCreated(List<DataItem> created) {
            for (DataItem item : created) {
                NodeId nodeId = item.getReadValueId().getNodeId();
                UaVariableNode variable = variables.get(nodeId);
                if (variable != null) {
                    items.computeIfAbsent(nodeId, k -> ConcurrentHashMap.newKeySet()).add(item);
                    item.setValue(variable.getValue()); // the initial value (OPC 10000-4 5.12.1.4)
                }
            }
        }

        @Override
        public void onDataItemsModified(List<DataItem> modified) {}

        @Override
        public void onDataItemsDeleted(List<DataItem> deleted) {
            deleted.forEach(item -> items.getOrDefault(item.getReadValueId().getNodeId(), Set.of()).remove(item));
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> changed) {}
    }
}
