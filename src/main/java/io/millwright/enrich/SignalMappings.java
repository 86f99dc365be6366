package io.millwright.enrich;

import io.millwright.ops.HubDirectoriesProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The mapping of each connection: an integrator's JSONata file where {@code millwright.enrich.mappings}
 * names one, else the built-in {@link DefaultSignalMapping}. Each file is checked and compiled at
 * start-up, so a missing or broken file stops the hub with its name and the reason.
 */
@Component
class SignalMappings {

    private static final Logger log = LoggerFactory.getLogger(SignalMappings.class);
    private static final SignalMapping BUILT_IN = new DefaultSignalMapping();

    private final Map<String, SignalMapping> byConnection = new HashMap<>();

    SignalMappings(EnrichProperties properties, HubDirectoriesProperties directories) {
        properties.mappings().forEach((connection, relativePath) -> {
            Path file = directories.mappings().resolve(relativePath);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("millwright.enrich.mappings." + connection + ": the mapping file " + file
                        + " does not exist; give a path under millwright.mappings-dir, e.g. transform/opcua-to-signal.jsonata");
            }
            byConnection.put(connection, new JsonataSignalMapping(file));
            log.info("Signal mapping connection={} file={}", connection, file);
        });
    }

    SignalMapping forConnection(String connection) {
        return byConnection.getOrDefault(connection, BUILT_IN);
    }
}
