package io.millwright.enrich;

import io.millwright.ops.FolderWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hot reload of the asset registry: watches {@code assets.yaml} and {@code asset-rules.yaml} in the
 * mappings folder ({@link FolderWatcher}, as the routes folder is watched) and asks the
 * {@link AssetRegistry} to re-read them after a save. A file that fails the check is rejected with
 * file, line and reason, and the registry in use stays as it was.
 */
@Component
class AssetRegistryReloader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AssetRegistryReloader.class);

    private final AssetRegistry registry;
    private final EnrichProperties properties;
    private volatile FolderWatcher watcher;

    AssetRegistryReloader(AssetRegistry registry, EnrichProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.registryReloadEnabled() || watcher != null) {
            return;
        }
        Path directory = registry.file().toAbsolutePath().getParent();
        Set<String> names = Set.of(registry.file().getFileName().toString(), registry.rulesFile().getFileName().toString());
        if (directory == null || !Files.isDirectory(directory)) {
            log.warn("Asset registry not watched dir={} reason=not a folder; changes apply after a restart", directory);
            return;
        }
        try {
            watcher = FolderWatcher.whole("asset-registry", directory, names::contains,
                    properties.registryReloadDebounce(), registry::reload).start();
        } catch (IOException e) {
            log.warn("Asset registry not watched dir={} reason={}; changes apply after a restart", directory, e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }
}
