package io.millwright.enrich;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code assetRegistry}: always UP (the hub runs on the registry it has); the
 * details say what is loaded, whether the last change to the files was rejected (file:line: reason),
 * and which discovered nodes no entry or rule maps.
 */
@Component("assetRegistryHealthIndicator")
class AssetRegistryHealthIndicator extends AbstractHealthIndicator {

    /** Most unmapped nodes listed in the details; the count is always complete. */
    static final int MAX_LISTED = 100;

    private final AssetRegistry registry;

    AssetRegistryHealthIndicator(AssetRegistry registry) {
        super("Asset registry health check failed");
        this.registry = registry;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up()
                .withDetail("file", registry.file().toString())
                .withDetail("rulesFile", registry.rulesFile().toString())
                .withDetail("assets", registry.assetCount())
                .withDetail("tags", registry.tagCount())
                .withDetail("rules", registry.ruleCount());
        AssetRegistry.ReloadStatus reload = registry.lastReload();
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("at", reload.at().toString());
        last.put("applied", reload.applied());
        if (reload.problem() != null) {
            last.put("problem", reload.problem());
        }
        builder.withDetail("lastReload", last);
        List<AssetRegistry.UnmappedNode> unmapped = registry.unmappedNodes();
        builder.withDetail("unmappedNodeCount", unmapped.size());
        builder.withDetail("unmappedNodes", unmapped.stream().limit(MAX_LISTED)
                .map(n -> Map.of("connection", n.connection(), "node", n.nodeId(),
                        "browsePath", n.browsePath() == null ? "" : n.browsePath(), "reportedAt", n.reportedAt().toString()))
                .toList());
    }
}
