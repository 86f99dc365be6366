package io.millwright.enrich;

import io.millwright.model.InvalidEventException;
import io.millwright.model.MachineState;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and checks {@code mappings/assets.yaml} as a whole, so that a mistake names the file, the
 * line, the entry and the reason instead of surfacing as wrong events later.
 */
final class AssetRegistryFile {

    static final String FILE_NAME = "assets.yaml";

    private static final Set<String> ROOT_KEYS = Set.of("assets");
    private static final Set<String> ASSET_KEYS = Set.of("path", "connection", "tags", "order", "operation", "position");
    private static final Set<String> TAG_KEYS = Set.of("node", "role", "name", "unit", "limits", "states", "counter-width");
    /** Widths a wrapping counter may declare ({@code counter-width}); production's CounterWidth reads them. */
    static final List<String> COUNTER_WIDTHS = List.of("int16", "uint16", "int32", "uint32", "int64");
    private static final Set<String> LIMIT_KEYS = Set.of("low", "high");
    private static final Set<String> POSITION_KEYS = Set.of("x", "y", "z");

    /**
     * What the file says: connection -> node -> entry, the fixed context per asset path, and every
     * asset path in file order with its position (null where the file gives none).
     */
    record Content(Map<String, Map<String, MappedTag>> byConnectionAndNode, Map<String, FixedContext> contexts,
            int assetCount, int tagCount, Map<String, AssetPosition> positions) {}

    record Limits(Double low, Double high) {}

    private AssetRegistryFile() {}

    /** Throws {@link MappingFileNodes.MappingFileException} naming the file, line and reason. */
    static Content read(Path file) {
        MappingFileNodes yaml = new MappingFileNodes(file);
        Node root = yaml.read();
        if (root == null) {
            return new Content(Map.of(), Map.of(), 0, 0, Map.of());
        }
        Map<String, Node> top = yaml.mapping(root, "the asset registry", ROOT_KEYS);
        List<Node> assets = yaml.sequence(top.get("assets"), "assets");
        Map<String, Map<String, MappedTag>> index = new HashMap<>();
        Map<String, FixedContext> contexts = new HashMap<>();
        Map<String, AssetPosition> positions = new LinkedHashMap<>();
        int tagCount = 0;
        for (int a = 0; a < assets.size(); a++) {
            Node assetNode = assets.get(a);
            String where = "assets[" + a + "]";
            Map<String, Node> asset = yaml.mapping(assetNode, where, ASSET_KEYS);
            String path = require(yaml, asset, assetNode, where, "path", "the ISA-95 path, e.g. acme/site/area/line-1/cell-1");
            String connection = require(yaml, asset, assetNode, where, "connection",
                    "the id of the OPC UA connection file that reads its nodes");
            String order = yaml.text(asset, "order", where);
            String operation = yaml.text(asset, "operation", where);
            if (order != null || operation != null) {
                FixedContext previous = contexts.put(path, new FixedContext(order, operation));
                if (previous != null) {
                    throw yaml.problem(assetNode, where + " (" + path + ") sets order/operation, which another entry of the"
                            + " same asset already sets; give the asset's fixed context once");
                }
            }
            AssetPosition position = position(yaml, asset.get("position"), where + " (" + path + ")");
            AssetPosition known = positions.get(path);
            if (position != null && known != null) {
                throw yaml.problem(asset.get("position"), where + " (" + path + ") sets a position, which another entry of the"
                        + " same asset already sets; give the asset's position once");
            }
            positions.put(path, position != null ? position : known);
            List<Node> tags = yaml.sequence(asset.get("tags"), where + ".tags");
            if (tags.isEmpty() && order == null && operation == null) {
                throw yaml.problem(assetNode, where + " (" + path + ") has no tags; list at least one node under tags"
                        + " (an entry without tags only gives an asset mapped by rules its order/operation)");
            }
            for (int t = 0; t < tags.size(); t++) {
                Node tagNode = tags.get(t);
                String tagWhere = where + ".tags[" + t + "]";
                MappedTag entry = tag(yaml, tagNode, tagWhere, connection, path);
                MappedTag previous = index.computeIfAbsent(connection, c -> new HashMap<>()).put(entry.tag().nodeId(), entry);
                if (previous != null) {
                    throw yaml.problem(tagNode, tagWhere + ": node '" + entry.tag().nodeId() + "' of connection '" + connection
                            + "' is already mapped to asset '" + previous.tag().assetPath() + "'; a node belongs to one asset");
                }
                tagCount++;
            }
        }
        return new Content(index, contexts, assets.size(), tagCount, Collections.unmodifiableMap(positions));
    }

    private static MappedTag tag(MappingFileNodes yaml, Node tagNode, String where, String connection, String assetPath) {
        Map<String, Node> tag = yaml.mapping(tagNode, where, TAG_KEYS);
        String node = require(yaml, tag, tagNode, where, "node", "the node id as the connection file spells it");
        String roleText = require(yaml, tag, tagNode, where, "role",
                "one of state, good-count, scrap-count, scrap-reason, order, operation, measurement");
        TagRole role;
        try {
            role = TagRole.parse(roleText);
        } catch (IllegalArgumentException e) {
            throw yaml.problem(tag.get("role"), where + " (" + node + "): " + e.getMessage());
        }
        String unit = yaml.text(tag, "unit", where);
        if ((role == TagRole.GOOD_COUNT || role == TagRole.SCRAP_COUNT) && unit == null) {
            throw yaml.problem(tagNode, where + " (" + node + "): a counter needs the unit the ERP books it in;"
                    + " add 'unit: PC' or the order's unit");
        }
        String name = yaml.text(tag, "name", where);
        String counterWidth = yaml.text(tag, "counter-width", where);
        if (counterWidth != null) {
            counterWidth = counterWidth.trim().toLowerCase(java.util.Locale.ROOT);
            if (!COUNTER_WIDTHS.contains(counterWidth)) {
                throw yaml.problem(tag.get("counter-width"), where + " (" + node + "): counter-width '" + counterWidth
                        + "' is not one of " + COUNTER_WIDTHS);
            }
        }
        Limits limits = limits(yaml, tag.get("limits"), where);
        Map<String, MachineState> states = states(yaml, tag.get("states"), where + " (" + node + ")", role);
        return new MappedTag(new AssetTag(connection, node, assetPath, role, name == null ? AssetRegistry.lastPart(node) : name,
                unit, limits.low(), limits.high(), counterWidth), states);
    }

    static Limits limits(MappingFileNodes yaml, Node node, String where) {
        if (node == null) {
            return new Limits(null, null);
        }
        Map<String, Node> limits = yaml.mapping(node, where + ".limits", LIMIT_KEYS);
        return new Limits(yaml.number(limits, "low", where + ".limits"), yaml.number(limits, "high", where + ".limits"));
    }

    /** An asset's optional {@code position: {x, y, z}} (metres in the plant's frame; z defaults to 0). */
    static AssetPosition position(MappingFileNodes yaml, Node node, String where) {
        if (node == null) {
            return null;
        }
        Map<String, Node> position = yaml.mapping(node, where + ".position", POSITION_KEYS);
        Double x = yaml.number(position, "x", where + ".position");
        Double y = yaml.number(position, "y", where + ".position");
        Double z = yaml.number(position, "z", where + ".position");
        if (x == null || y == null) {
            throw yaml.problem(node, where + ".position needs x and y (metres in the plant's frame), e.g. { x: 12.5, y: 4, z: 0 }");
        }
        return new AssetPosition(x, y, z == null ? 0 : z);
    }

    /** A state tag's value map, checked: every value a machine state; only on role state. */
    static Map<String, MachineState> states(MappingFileNodes yaml, Node node, String where, TagRole role) {
        if (node == null) {
            return Map.of();
        }
        if (role != TagRole.STATE) {
            throw yaml.problem(node, where + ": 'states' maps state codes and belongs on a tag with role state, not "
                    + role.fileName());
        }
        Map<String, MachineState> states = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : yaml.scalarMap(node, where + ".states").entrySet()) {
            try {
                states.put(entry.getKey(), MachineState.parse("states." + entry.getKey(), entry.getValue()));
            } catch (InvalidEventException e) {
                throw yaml.problem(node, where + ".states: code '" + entry.getKey() + "' maps to '" + entry.getValue()
                        + "', which is not a machine state (running, idle, down, setup)");
            }
        }
        if (states.isEmpty()) {
            throw yaml.problem(node, where + ".states is empty; map at least one code, e.g. { \"1\": running }");
        }
        return Collections.unmodifiableMap(states);
    }

    private static String require(MappingFileNodes yaml, Map<String, Node> entries, Node node, String where, String key, String hint) {
        String value = yaml.text(entries, key, where);
        if (value == null) {
            throw yaml.problem(node, where + " has no '" + key + "'; add " + hint);
        }
        return value;
    }
}
