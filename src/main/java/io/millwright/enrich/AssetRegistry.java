package io.millwright.enrich;

import io.millwright.enrich.MappingFileNodes.MappingFileException;
import io.millwright.model.MachineState;
import io.millwright.ops.HubDirectoriesProperties;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The asset registry: node -> ISA-95 asset path, role, unit, limits and a state tag's value map,
 * from explicit entries ({@code mappings/assets.yaml}) and rules ({@code mappings/asset-rules.yaml});
 * explicit entries win over rules. Also each asset's fixed order context ({@link FixedContext}).
 *
 * <p>Both files are read and checked as a whole at start-up (a mistake stops the hub with file,
 * line and reason) and again by {@link #reload()} while running, where a file that fails the check
 * is rejected and the registry in use stays as it was. Lookups are in-memory map hits on the
 * telemetry hot path; a node mapped by a rule is matched once per registry version and cached.
 */
@Component
public class AssetRegistry {

    private static final Logger log = LoggerFactory.getLogger(AssetRegistry.class);

    /** A discovered node that no entry and no rule maps: reported once, its values are not dead-lettered. */
    public record UnmappedNode(String connection, String nodeId, String browsePath, Instant reportedAt) {}

    /** The outcome of the last reload: when, and the problem if the files were rejected (file:line: reason). */
    public record ReloadStatus(Instant at, boolean applied, String problem) {}

    private static final MappedTag UNMAPPED = new MappedTag(null, Map.of());

    /** One consistent version of both files, with its cache of rule matches. */
    private record Snapshot(AssetRegistryFile.Content content, AssetRules rules,
            Map<String, Map<String, MappedTag>> ruleMatches) {

        MappedTag lookup(String connection, String nodeId, String browsePath) {
            return lookup(connection, nodeId, browsePath, false);
        }

        /** {@code fresh}: match the rules again (discovery brings a browse path a cached miss had not). */
        MappedTag lookup(String connection, String nodeId, String browsePath, boolean fresh) {
            Map<String, MappedTag> nodes = content.byConnectionAndNode().get(connection);
            MappedTag explicit = nodes == null ? null : nodes.get(nodeId);
            if (explicit != null) {
                return explicit;
            }
            if (rules.size() == 0) {
                return UNMAPPED;
            }
            Map<String, MappedTag> cache = ruleMatches.computeIfAbsent(connection, c -> new ConcurrentHashMap<>());
            MappedTag cached = cache.get(nodeId);
            if (cached != null && !(fresh && cached == UNMAPPED)) {
                return cached;
            }
            MappedTag matched = rules.resolve(connection, nodeId, browsePath);
            MappedTag result = matched == null ? UNMAPPED : matched;
            cache.put(nodeId, result);
            return result;
        }
    }

    private final Path file;
    private final Path rulesFile;
    private volatile Snapshot snapshot;
    private volatile ReloadStatus lastReload;
    // connection -> node id -> browse path, as discovery handed them over; kept across reloads
    private final Map<String, Map<String, String>> discovered = new ConcurrentHashMap<>();
    private final Map<String, UnmappedNode> unmapped = new ConcurrentHashMap<>();

    @Autowired
    public AssetRegistry(HubDirectoriesProperties directories) {
        this(directories.mappings().resolve(AssetRegistryFile.FILE_NAME));
    }

    /**
     * Reads and checks a registry file and the rule file beside it ({@value AssetRules#FILE_NAME},
     * optional); throws {@link IllegalStateException} naming the file, line and problem.
     */
    public AssetRegistry(Path file) {
        this.file = file;
        this.rulesFile = file.resolveSibling(AssetRules.FILE_NAME);
        this.snapshot = load();
        this.lastReload = new ReloadStatus(Instant.now(), true, null);
    }

    private Snapshot load() {
        AssetRegistryFile.Content content = AssetRegistryFile.read(file);
        AssetRules rules = AssetRules.read(rulesFile);
        log.info("Asset registry loaded file={} assets={} tags={} rulesFile={} rules={}",
                file, content.assetCount(), content.tagCount(), rulesFile, rules.size());
        return new Snapshot(content, rules, new ConcurrentHashMap<>());
    }

    /**
     * Reads both files again and swaps them in if they pass the check; otherwise logs the file,
     * line and reason, keeps the registry in use, and returns false.
     */
    public synchronized boolean reload() {
        try {
            Snapshot next = load();
            snapshot = next;
            unmapped.clear(); // re-reported against the new rules when discovery or a value asks again
            lastReload = new ReloadStatus(Instant.now(), true, null);
            return true;
        } catch (MappingFileException e) {
            log.error("Asset registry change rejected file={} line={} reason={}; the registry in use is unchanged",
                    e.file(), e.line(), e.reason());
            lastReload = new ReloadStatus(Instant.now(), false, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.error("Asset registry change rejected file={} reason={}; the registry in use is unchanged", file, e.toString());
            lastReload = new ReloadStatus(Instant.now(), false, e.toString());
            return false;
        }
    }

    /**
     * Every asset the registry file names, in file order, with its position where the file gives
     * one (null otherwise). Assets mapped only by rules appear once they send a value, not here.
     */
    public Map<String, AssetPosition> assetPositions() {
        return snapshot.content().positions();
    }

    /** The registry entry of a node read through a connection, if any (explicit entry, else a rule on its node id). */
    public Optional<AssetTag> find(String connection, String nodeId) {
        MappedTag tag = snapshot.lookup(connection, nodeId, browsePath(connection, nodeId));
        return Optional.ofNullable(tag.tag());
    }

    /**
     * For discovery: the entry of a node found by browsing, matched on its browse path (e.g.
     * {@code Plant1/Line1/M1/GoodCount}, names joined by '/') and on its node id. A node that nothing
     * maps is reported once (a log line and {@link #unmappedNodes()}); its values, should they
     * arrive, are skipped rather than dead-lettered.
     */
    public Optional<AssetTag> resolve(String connection, String nodeId, String browsePath) {
        if (browsePath != null) {
            discovered.computeIfAbsent(connection, c -> new ConcurrentHashMap<>()).put(nodeId, browsePath);
        }
        MappedTag tag = snapshot.lookup(connection, nodeId, browsePath, true);
        if (tag.tag() == null) {
            reportUnmapped(connection, nodeId, browsePath);
        }
        return Optional.ofNullable(tag.tag());
    }

    /** The registry entry, or an {@link EnrichException} that says how to fix the registry. */
    public AssetTag require(String connection, String nodeId) {
        String browsePath = browsePath(connection, nodeId);
        AssetTag tag = snapshot.lookup(connection, nodeId, browsePath).tag();
        if (tag != null) {
            return tag;
        }
        if (browsePath != null) {
            reportUnmapped(connection, nodeId, browsePath);
            throw new UnmappedNodeException(connection, nodeId, browsePath);
        }
        throw new UnknownAssetException(file.toString(), connection, nodeId);
    }

    /** A state tag's value map (source code -> machine state); empty when the source reports state names. */
    public Map<String, MachineState> stateMap(String connection, String nodeId) {
        return snapshot.lookup(connection, nodeId, browsePath(connection, nodeId)).states();
    }

    /** The order context {@code assets.yaml} gives the asset, {@link FixedContext#NONE} if none. */
    public FixedContext fixedContext(String assetPath) {
        return snapshot.content().contexts().getOrDefault(assetPath, FixedContext.NONE);
    }

    /** Discovered nodes that no entry and no rule maps, by connection and node id. */
    public List<UnmappedNode> unmappedNodes() {
        List<UnmappedNode> nodes = new ArrayList<>(unmapped.values());
        nodes.sort(Comparator.comparing(UnmappedNode::connection).thenComparing(UnmappedNode::nodeId));
        return nodes;
    }

    public ReloadStatus lastReload() {
        return lastReload;
    }

    public Path file() {
        return file;
    }

    public Path rulesFile() {
        return rulesFile;
    }

    public int assetCount() {
        return snapshot.content().assetCount();
    }

    public int tagCount() {
        return snapshot.content().tagCount();
    }

    public int ruleCount() {
        return snapshot.rules().size();
    }

    private String browsePath(String connection, String nodeId) {
        if (discovered.isEmpty()) {
            return null;
        }
        Map<String, String> nodes = discovered.get(connection);
        return nodes == null ? null : nodes.get(nodeId);
    }

    private void reportUnmapped(String connection, String nodeId, String browsePath) {
        String key = connection + '\n' + nodeId;
        if (unmapped.putIfAbsent(key, new UnmappedNode(connection, nodeId, browsePath, Instant.now())) == null) {
            log.warn("Discovered node not mapped connection={} node={} browsePath={}; its values are skipped. Map it in {}"
                    + " (explicit entry) or {} (rule); listed under health component assetRegistry",
                    connection, nodeId, browsePath, file, rulesFile);
        }
    }

    static String lastPart(String nodeId) {
        int cut = Math.max(nodeId.lastIndexOf('.'), Math.max(nodeId.lastIndexOf('='), nodeId.lastIndexOf('/')));
        return cut >= 0 ? nodeId.substring(cut + 1) : nodeId;
    }
}
