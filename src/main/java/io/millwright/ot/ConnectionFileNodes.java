package io.millwright.ot;

import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;

/**
 * The {@code nodes} and {@code groups} of a connection file: node ids checked for syntax, each node
 * listed once per file (a second listing names both places), groups' settings inherited from the
 * connection and overridden by the group.
 */
final class ConnectionFileNodes {

    private static final Set<String> GROUP_KEYS = Set.of(
            "name", "nodes", "sampling-interval", "publishing-interval", "queue-size", "discard-oldest", "deadband",
            "stale-after");

    private ConnectionFileNodes() {}

    static List<NodeGroup> groups(
            Path file, Map<?, ?> root, ConnectionFileValues values, SubscriptionSettings connectionSettings) {
        return groups(file, root, values, connectionSettings, false);
    }

    /** {@code browsing}: the file has a {@code browse} mapping, so it may list no nodes. */
    static List<NodeGroup> groups(Path file, Map<?, ?> root, ConnectionFileValues values,
            SubscriptionSettings connectionSettings, boolean browsing) {
        Map<String, String> seen = new HashMap<>();
        List<NodeGroup> groups = new ArrayList<>();
        if (root.get("nodes") != null) {
            List<OpcUaNode> nodes = nodes(file, root.get("nodes"), "nodes", values, seen);
            groups.add(new NodeGroup(NodeGroup.DEFAULT_NAME, connectionSettings, nodes));
        }
        Object raw = root.get("groups");
        if (raw != null) {
            if (!(raw instanceof List<?> list)) {
                throw new InvalidConnectionFileException(file, "groups", "must be a list of groups, each with 'name' and 'nodes'");
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String key = "groups[" + i + "]";
                if (!(list.get(i) instanceof Map<?, ?> group)) {
                    throw new InvalidConnectionFileException(file, key, "must be a mapping with 'name' and 'nodes'");
                }
                OpcUaConnectionFiles.checkKeys(file, group, key + ".", GROUP_KEYS);
                String name = values.string(group, key + ".", "name");
                if (name == null || !OpcUaConnectionFiles.ID.matcher(name).matches()) {
                    throw new InvalidConnectionFileException(
                            file, key + ".name", "is required, in kebab-case (a-z, 0-9, '-'), was '" + name + "'");
                }
                if (NodeGroup.DEFAULT_NAME.equals(name) || !names.add(name)) {
                    throw new InvalidConnectionFileException(file, key + ".name", "'" + name + "' is "
                            + (NodeGroup.DEFAULT_NAME.equals(name) ? "the name of the top-level nodes" : "used twice"));
                }
                SubscriptionSettings settings = values.settings(group, key + ".", connectionSettings);
                List<OpcUaNode> nodes = nodes(file, group.get("nodes"), key + ".nodes", values, seen);
                groups.add(new NodeGroup(name, settings, nodes));
            }
        }
        if (groups.isEmpty() && !browsing) {
            throw new InvalidConnectionFileException(file, "nodes",
                    "is required (or 'browse'): a list of node ids, e.g. - nsu=urn:example;s=Line1.Speed");
        }
        return groups;
    }

    /** {@code seen}: every node id listed so far, with the key it was listed at. */
    private static List<OpcUaNode> nodes(
            Path file, Object raw, String listKey, ConnectionFileValues values, Map<String, String> seen) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidConnectionFileException(
                    file, listKey, "is required: a list of node ids, e.g. - nsu=urn:example;s=Line1.Speed");
        }
        List<OpcUaNode> nodes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String key = listKey + "[" + i + "]";
            Object entry = list.get(i);
            String nodeId;
            String name = null;
            if (entry instanceof Map<?, ?> map) {
                for (Object k : map.keySet()) {
                    if (!"node".equals(k) && !"name".equals(k)) {
                        throw new InvalidConnectionFileException(
                                file, key + "." + k, "is not a known key; a node entry has 'node' and 'name'");
                    }
                }
                nodeId = values.string(map, key + ".", "node");
                if (nodeId == null) {
                    throw new InvalidConnectionFileException(file, key + ".node", "is required");
                }
                name = values.string(map, key + ".", "name");
                if (name != null && !OpcUaConnectionFiles.ID.matcher(name).matches()) {
                    throw new InvalidConnectionFileException(
                            file, key + ".name", "must be kebab-case (a-z, 0-9, '-'), was '" + name + "'");
                }
            } else if (entry instanceof String s) {
                nodeId = values.resolve(key, s).trim();
            } else {
                throw new InvalidConnectionFileException(
                        file, key, "must be a node id string or a mapping with 'node' and 'name'");
            }
            try {
                ExpandedNodeId.parse(nodeId);
            } catch (RuntimeException e) {
                throw new InvalidConnectionFileException(file, key,
                        "'" + nodeId + "' is not an OPC UA node id; write e.g. nsu=urn:example;s=Line1.Speed or ns=2;i=1001",
                        e);
            }
            String previous = seen.putIfAbsent(nodeId, key);
            if (previous != null) {
                throw new InvalidConnectionFileException(file, key,
                        "'" + nodeId + "' is already listed at '" + previous + "'; list each node once");
            }
            nodes.add(new OpcUaNode(nodeId, name != null ? name : nodeName(nodeId)));
        }
        return nodes;
    }

    /**
     * The default label of a node: its identifier in kebab-case,
     * {@code nsu=urn:millwright:sim:plant;s=Line1.Machine1.State} gives {@code line1-machine1-state},
     * {@code ns=2;i=1001} gives {@code i-1001}.
     */
    static String nodeName(String nodeId) {
        String identifier = nodeId;
        String prefix = "";
        for (String part : nodeId.split(";")) {
            if (part.matches("[sigb]=.*")) {
                identifier = part.substring(2);
                prefix = part.startsWith("s=") ? "" : part.substring(0, 1) + "-";
            }
        }
        String slug = (prefix + identifier)
                .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "node" : slug;
    }

}
