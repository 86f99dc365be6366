package io.millwright.enrich;

import io.millwright.ops.FolderWatcher;
import io.millwright.ops.HubDirectoriesProperties;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The mapping of each connection: an integrator's JSONata file, else the built-in
 * {@link DefaultSignalMapping}. A connection names its own file with {@code mapping:} in its
 * connection file ({@code adapters/opcua/<id>.yaml}); {@code millwright.enrich.mappings.<id>} does it
 * from the settings. When both name one, the connection file wins (it sits beside the connection's
 * nodes), and a warning says so. Each file is checked and compiled at start-up, so a missing or
 * broken file stops the hub with its name and the reason. While the hub runs, a saved file is
 * recompiled (the folder watcher, {@link JsonataSignalMapping#watch}; debounce
 * {@code millwright.enrich.registry-reload-debounce}); a save that does not compile keeps the
 * previous version.
 */
@Component
class SignalMappings implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SignalMappings.class);
    private static final SignalMapping BUILT_IN = new DefaultSignalMapping();

    private final Map<String, SignalMapping> byConnection = new HashMap<>();
    private final Duration debounce;
    private volatile List<FolderWatcher> watchers;

    SignalMappings(EnrichProperties properties, HubDirectoriesProperties directories, Environment resolver) {
        this.debounce = properties.registryReloadDebounce();
        Map<String, String> chosen = new TreeMap<>();
        Map<String, String> origin = new HashMap<>();
        properties.mappings().forEach((connection, path) -> {
            chosen.put(connection, path);
            origin.put(connection, "millwright.enrich.mappings." + connection);
        });
        connectionFileMappings(directories.adapters().resolve("opcua"), resolver).forEach((connection, path) -> {
            String setting = chosen.put(connection, path.mapping());
            if (setting != null && !setting.equals(path.mapping())) {
                log.warn("Signal mapping of connection={} from its connection file {} (mapping: {}) wins over"
                        + " millwright.enrich.mappings.{}={}", connection, path.file(), path.mapping(), connection, setting);
            }
            origin.put(connection, path.file() + ": mapping");
        });
        chosen.forEach((connection, relativePath) -> {
            Path file = directories.mappings().resolve(relativePath);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(origin.get(connection) + ": the mapping file " + file
                        + " does not exist; give a path under millwright.mappings-dir, e.g. transform/opcua-to-signal.jsonata");
            }
            byConnection.put(connection, new JsonataSignalMapping(file));
            log.info("Signal mapping connection={} file={} from={}", connection, file, origin.get(connection));
        });
    }

    @Override
    public synchronized void start() {
        if (watchers != null) {
            return;
        }
        List<JsonataSignalMapping> files = byConnection.values().stream()
                .filter(JsonataSignalMapping.class::isInstance).map(JsonataSignalMapping.class::cast).toList();
        try {
            watchers = JsonataSignalMapping.watch(files, debounce);
        } catch (IOException e) {
            watchers = List.of();
            log.warn("Signal mappings not watched reason={}; a changed mapping applies after a restart", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (watchers != null) {
            watchers.forEach(FolderWatcher::close);
            watchers = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watchers != null;
    }

    SignalMapping forConnection(String connection) {
        return byConnection.getOrDefault(connection, BUILT_IN);
    }

    private record FileMapping(Path file, String mapping) {}

    /**
     * The {@code mapping:} key of each connection file, by connection id (the file's stem). The OT
     * adapter validates the files as a whole; a file it would reject is skipped here.
     */
    private static Map<String, FileMapping> connectionFileMappings(Path directory, PropertyResolver resolver) {
        Map<String, FileMapping> mappings = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return mappings;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            log.warn("Connection files not read for their mapping dir={} reason={}", directory, e.toString());
            return mappings;
        }
        for (Path file : files) {
            Object mapping;
            try (Reader reader = Files.newBufferedReader(file)) {
                LoaderOptions limits = new LoaderOptions();
                limits.setCodePointLimit(256 * 1024 * 1024);
                Object document = new Yaml(new SafeConstructor(limits)).load(reader);
                mapping = document instanceof Map<?, ?> root ? root.get("mapping") : null;
            } catch (IOException | YAMLException e) {
                log.debug("Connection file skipped for its mapping file={} reason={}", file, e.toString());
                continue;
            }
            if (mapping != null && !String.valueOf(mapping).isBlank()) {
                String id = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                mappings.put(id, new FileMapping(file, resolver.resolveRequiredPlaceholders(String.valueOf(mapping)).trim()));
            }
        }
        return mappings;
    }
}
