package io.millwright.analytics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signal's tag by its registry name ({@code temperature}), from the node id a signal event carries
 * ({@code nsu=urn:millwright:sim:plant;s=Line1.Machine1.Temperature}) and the asset: read from
 * {@code mappings/assets.yaml} (only {@code path}, {@code node} and {@code name}), re-read when the
 * file changes. A node the file does not name is known by the last part of its id, as the registry does.
 */
class TagNames {

    private static final Logger log = LoggerFactory.getLogger(TagNames.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record Registry(List<Asset> assets) {}

    record Asset(String path, List<Tag> tags) {}

    record Tag(String node, String name) {}

    private final Path file;
    private volatile Map<String, String> names = Map.of();
    private volatile FileTime loadedAt;

    TagNames(Path file) {
        this.file = file;
        refresh();
    }

    /** The registry name of a node of an asset. */
    String nameOf(String asset, String node) {
        String name = names.get(asset + '\n' + node);
        return name != null ? name : lastPart(node);
    }

    /** Re-reads the file when it changed since the last read; a broken file keeps the names read before. */
    void refresh() {
        try {
            if (!Files.isRegularFile(file)) {
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            Registry registry = YAML.readValue(file.toFile(), Registry.class);
            Map<String, String> read = new HashMap<>();
            if (registry != null && registry.assets() != null) {
                for (Asset asset : registry.assets()) {
                    if (asset.path() == null || asset.tags() == null) {
                        continue;
                    }
                    for (Tag tag : asset.tags()) {
                        if (tag.node() != null) {
                            read.put(asset.path() + '\n' + tag.node(),
                                    tag.name() == null || tag.name().isBlank() ? lastPart(tag.node()) : tag.name());
                        }
                    }
                }
            }
            names = Map.copyOf(read);
            loadedAt = modified;
        } catch (IOException | RuntimeException e) {
            log.warn("Tag names for rollups not re-read, the previous ones stay file={} reason={}", file, e.getMessage());
        }
    }

    static String lastPart(String nodeId) {
        int cut = Math.max(nodeId.lastIndexOf('.'), Math.max(nodeId.lastIndexOf('='), nodeId.lastIndexOf('/')));
        return cut >= 0 ? nodeId.substring(cut + 1) : nodeId;
    }
}
