package io.millwright.enrich;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.millwright.ops.HubDirectoriesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The asset registry ({@code mappings/assets.yaml}): node -> ISA-95 asset path, role, unit and
 * limits. Read once at start-up and checked as a whole, so that a mistake stops the hub with the
 * file, the entry and the reason instead of surfacing as wrong events later. Lookups are
 * in-memory map hits on the telemetry hot path.
 */
@Component
public class AssetRegistry {

    private static final Logger log = LoggerFactory.getLogger(AssetRegistry.class);

    private final Path file;
    // connection -> node -> entry: two lookups of strings whose hash is cached, no key built per value
    private final Map<String, Map<String, AssetTag>> byConnectionAndNode;
    private final int tagCount;
    private final int assetCount;

    @Autowired
    public AssetRegistry(HubDirectoriesProperties directories) {
        this(directories.mappings().resolve("assets.yaml"));
    }

    /** Reads and checks a registry file; throws {@link IllegalStateException} naming the problem. */
    public AssetRegistry(Path file) {
        this.file = file;
        RegistryFile parsed = read(file);
        Map<String, Map<String, AssetTag>> index = new HashMap<>();
        List<AssetEntry> assets = parsed.assets() == null ? List.of() : parsed.assets();
        for (int a = 0; a < assets.size(); a++) {
            AssetEntry asset = assets.get(a);
            String where = file + ": assets[" + a + "]";
            require(asset.path(), where, "path", "the ISA-95 path, e.g. acme/site/area/line-1/cell-1");
            require(asset.connection(), where, "connection", "the id of the OPC UA connection file that reads its nodes");
            if (asset.tags() == null || asset.tags().isEmpty()) {
                throw new IllegalStateException(where + " (" + asset.path() + ") has no tags; list at least one node under tags");
            }
            for (int t = 0; t < asset.tags().size(); t++) {
                TagEntry tag = asset.tags().get(t);
                String tagWhere = where + ".tags[" + t + "]";
                require(tag.node(), tagWhere, "node", "the node id as the connection file spells it");
                require(tag.role(), tagWhere, "role", "one of state, good-count, scrap-count, order, operation, measurement");
                TagRole role;
                try {
                    role = TagRole.parse(tag.role());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(tagWhere + " (" + tag.node() + "): " + e.getMessage(), e);
                }
                if ((role == TagRole.GOOD_COUNT || role == TagRole.SCRAP_COUNT) && isBlank(tag.unit())) {
                    throw new IllegalStateException(tagWhere + " (" + tag.node() + "): a counter needs the unit the ERP books it in; add 'unit: PC' or the order's unit");
                }
                String name = isBlank(tag.name()) ? lastPart(tag.node()) : tag.name();
                if (!isBlank(tag.counterWidth()) && !COUNTER_WIDTHS.contains(tag.counterWidth().trim().toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalStateException(tagWhere + " (" + tag.node() + "): counter-width '" + tag.counterWidth()
                            + "' is not one of " + COUNTER_WIDTHS);
                }
                AssetTag entry = new AssetTag(asset.connection(), tag.node(), asset.path(), role, name, tag.unit(),
                        tag.limits() == null ? null : tag.limits().low(),
                        tag.limits() == null ? null : tag.limits().high(),
                        isBlank(tag.counterWidth()) ? null : tag.counterWidth().trim().toLowerCase(java.util.Locale.ROOT));
                AssetTag previous = index.computeIfAbsent(asset.connection(), c -> new HashMap<>()).put(tag.node(), entry);
                if (previous != null) {
                    throw new IllegalStateException(tagWhere + ": node '" + tag.node() + "' of connection '" + asset.connection()
                            + "' is already mapped to asset '" + previous.assetPath() + "'; a node belongs to one asset");
                }
            }
        }
        this.byConnectionAndNode = index;
        this.tagCount = index.values().stream().mapToInt(Map::size).sum();
        this.assetCount = assets.size();
        log.info("Asset registry loaded file={} assets={} tags={}", file, assetCount, tagCount);
    }

    /** The registry entry of a node read through a connection, if any. */
    public Optional<AssetTag> find(String connection, String nodeId) {
        return Optional.ofNullable(lookup(connection, nodeId));
    }

    /** The registry entry, or an {@link UnknownAssetException} that says how to fix the registry. */
    public AssetTag require(String connection, String nodeId) {
        AssetTag tag = lookup(connection, nodeId);
        if (tag == null) {
            throw new UnknownAssetException(file.toString(), connection, nodeId);
        }
        return tag;
    }

    /** The entry or null, without allocating: this runs once per value on the telemetry hot path. */
    private AssetTag lookup(String connection, String nodeId) {
        Map<String, AssetTag> nodes = byConnectionAndNode.get(connection);
        return nodes == null ? null : nodes.get(nodeId);
    }

    public int assetCount() {
        return assetCount;
    }

    public int tagCount() {
        return tagCount;
    }

    private static RegistryFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist; the asset registry maps OPC UA nodes to assets (see README)");
        }
        // SnakeYAML refuses documents over 3 MiB by default; a registry of 100,000 tags is about 10 MB
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(256 * 1024 * 1024);
        ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            RegistryFile parsed = yaml.readValue(file.toFile(), RegistryFile.class);
            return parsed == null ? new RegistryFile(List.of()) : parsed;
        } catch (JsonMappingException e) {
            throw new IllegalStateException(file + ": " + e.getOriginalMessage() + " at " + e.getPathReference()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void require(String value, String where, String field, String hint) {
        if (isBlank(value)) {
            throw new IllegalStateException(where + " has no '" + field + "'; add " + hint);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String lastPart(String nodeId) {
        int cut = Math.max(nodeId.lastIndexOf('.'), Math.max(nodeId.lastIndexOf('='), nodeId.lastIndexOf('/')));
        return cut >= 0 ? nodeId.substring(cut + 1) : nodeId;
    }

    /** Widths a wrapping counter may declare ({@code counter-width}); production's CounterWidth reads them. */
    static final List<String> COUNTER_WIDTHS = List.of("int16", "uint16", "int32", "uint32", "int64");

    record RegistryFile(List<AssetEntry> assets) {}

    record AssetEntry(String path, String connection, List<TagEntry> tags) {}

    record TagEntry(String node, String role, String name, String unit, Limits limits,
            @com.fasterxml.jackson.annotation.JsonProperty("counter-width") String counterWidth) {}

    record Limits(Double low, Double high) {}
}
