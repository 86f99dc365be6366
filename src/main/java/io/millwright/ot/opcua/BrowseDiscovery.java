package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.OpcUaDataType;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Browse discovery: walks the server's address space below a root along hierarchical references
 * (Organizes, HasComponent, ...; not HasProperty, so EURange and the like are left out), through
 * objects and folders, and returns the variables whose browse path passes the include and exclude
 * patterns. Browses up to {@value #NODES_PER_CALL} nodes per Browse call and follows continuation
 * points (OPC 10000-4 5.8.3), so a folder of thousands of variables costs a handful of calls.
 */
final class BrowseDiscovery {

    static final int NODES_PER_CALL = 100;
    /** DataType attributes read per Read call when {@code browse.data-types} filters. */
    static final int NODES_PER_READ = 1_000;
    /** A walk stops here, so a server with a cycle or an enormous model cannot exhaust the hub. */
    static final int MAX_NODES = 200_000;

    /** A variable found, with its node id as readings carry it and its browse path. */
    record Found(String nodeId, String browsePath) {}

    private final OpcUaConnection.Browse settings;
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    BrowseDiscovery(OpcUaConnection.Browse settings) {
        this.settings = settings;
        this.include = settings.include().stream().map(BrowseDiscovery::glob).toList();
        this.exclude = settings.exclude().stream().map(BrowseDiscovery::glob).toList();
    }

    OpcUaConnection.Browse settings() {
        return settings;
    }

    /** Whether a browse path passes the patterns. */
    boolean accepts(String browsePath) {
        return (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(browsePath).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(browsePath).matches());
    }

    /** {@code **} any characters, {@code *} any but '/', {@code ?} one but '/'; the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** The variables below the root that pass the patterns, by node id, in browse order. */
    Map<String, Found> browse(OpcUaClient client) throws UaException {
        Start start = start(client);
        Map<String, Found> found = new LinkedHashMap<>();
        Set<NodeId> visited = new HashSet<>();
        Deque<Start> queue = new ArrayDeque<>();
        queue.add(start);
        visited.add(start.nodeId());
        while (!queue.isEmpty()) {
            List<Start> batch = new ArrayList<>();
            while (!queue.isEmpty() && batch.size() < NODES_PER_CALL) {
                batch.add(queue.poll());
            }
            List<List<ReferenceDescription>> children = children(client, batch.stream().map(Start::nodeId).toList());
            for (int i = 0; i < batch.size(); i++) {
                Start parent = batch.get(i);
                for (ReferenceDescription reference : children.get(i)) {
                    if (NodeIds.HasProperty.equals(reference.getReferenceTypeId())) {
                        continue;
                    }
                    Optional<NodeId> child = reference.getNodeId().toNodeId(client.getNamespaceTable());
                    if (child.isEmpty() || !visited.add(child.get())) {
                        continue;
                    }
                    if (visited.size() > MAX_NODES) {
                        throw new UaException(StatusCodes.Bad_TooManyOperations,
                                "browse below " + settings.root() + " passed " + MAX_NODES + " nodes; narrow the root");
                    }
                    String name = reference.getBrowseName().name();
                    String path = parent.path().isEmpty() ? name : parent.path() + "/" + name;
                    if (reference.getNodeClass() == NodeClass.Variable) {
                        if (accepts(path)) {
                            String nodeId = child.get().expanded(client.getNamespaceTable()).toParseableString();
                            found.put(nodeId, new Found(nodeId, path));
                        }
                    } else if (reference.getNodeClass() == NodeClass.Object) {
                        queue.add(new Start(child.get(), path));
                    }
                }
            }
        }
        return settings.dataTypes().isEmpty() ? found : withDataTypes(client, found);
    }

    /**
     * Keeps the variables whose DataType attribute is one of {@code browse.data-types}, read
     * {@value #NODES_PER_READ} nodes per Read call. A variable whose type cannot be read is left out.
     */
    private Map<String, Found> withDataTypes(OpcUaClient client, Map<String, Found> found) throws UaException {
        Set<String> wanted = Set.copyOf(settings.dataTypes());
        List<Found> all = new ArrayList<>(found.values());
        Map<String, Found> kept = new LinkedHashMap<>();
        for (int from = 0; from < all.size(); from += NODES_PER_READ) {
            List<Found> batch = all.subList(from, Math.min(all.size(), from + NODES_PER_READ));
            List<ReadValueId> reads = new ArrayList<>(batch.size());
            for (Found variable : batch) {
                NodeId nodeId = ExpandedNodeId.parse(variable.nodeId()).toNodeId(client.getNamespaceTable())
                        .orElse(NodeId.NULL_VALUE);
                reads.add(new ReadValueId(nodeId, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
            }
            DataValue[] types = client.read(0.0, TimestampsToReturn.Neither, reads).getResults();
            for (int i = 0; i < batch.size(); i++) {
                Object type = types == null || i >= types.length ? null : types[i].getValue().getValue();
                if (type instanceof NodeId typeId && OpcUaDataType.isBuiltin(typeId)
                        && wanted.contains(OpcUaDataType.fromNodeId(typeId).name())) {
                    kept.put(batch.get(i).nodeId(), batch.get(i));
                }
            }
        }
        return kept;
    }

    private record Start(NodeId nodeId, String path) {}

    /** The root: a node id (its path starts with its browse name), a path below Objects, or Objects. */
    private Start start(OpcUaClient client) throws UaException {
        String root = settings.root();
        if (root == null || root.isBlank() || "Objects".equals(root)) {
            return new Start(NodeIds.ObjectsFolder, "");
        }
        if (root.contains("=")) {
            NodeId nodeId = ExpandedNodeId.parse(root).toNodeId(client.getNamespaceTable()).orElseThrow(() ->
                    new UaException(StatusCodes.Bad_NodeIdUnknown, "browse root " + root + ": namespace not on the server"));
            String name = client.getAddressSpace().getNode(nodeId).getBrowseName().name();
            return new Start(nodeId, name);
        }
        NodeId current = NodeIds.ObjectsFolder;
        String path = root.startsWith("Objects/") ? root.substring("Objects/".length()) : root;
        for (String name : path.split("/")) {
            NodeId next = null;
            for (ReferenceDescription reference : children(client, List.of(current)).get(0)) {
                if (name.equals(reference.getBrowseName().name())) {
                    next = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElse(null);
                    break;
                }
            }
            if (next == null) {
                throw new UaException(StatusCodes.Bad_NoMatch, "browse root " + root + ": no node '" + name + "' there");
            }
            current = next;
        }
        return new Start(current, path);
    }

    /** The forward hierarchical references of each node, continuation points followed. */
    private static List<List<ReferenceDescription>> children(OpcUaClient client, List<NodeId> nodes) throws UaException {
        List<BrowseDescription> descriptions = nodes.stream().map(n -> new BrowseDescription(n, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true, uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue()))).toList();
        List<BrowseResult> results = client.browse(descriptions);
        List<List<ReferenceDescription>> children = new ArrayList<>();
        for (BrowseResult result : results) {
            List<ReferenceDescription> references = new ArrayList<>();
            BrowseResult page = result;
            while (true) {
                if (page.getReferences() != null) {
                    references.addAll(List.of(page.getReferences()));
                }
                ByteString continuation = page.getContinuationPoint();
                if (continuation == null || continuation.isNull() || continuation.length() == 0) {
                    break;
                }
                page = client.browseNext(false, List.of(continuation)).getResults()[0];
            }
            children.add(references);
        }
        return children;
    }
}
