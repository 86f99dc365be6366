package io.millwright.ops;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the hub keeps its state and finds the files integrators edit ({@code millwright.*-dir}),
 * bound once for every capability.
 *
 * @param dataDir all state: database, broker logs, simulator state, log file
 * @param routesDir Camel YAML DSL flows, hot-reloaded
 * @param adaptersDir connection files ({@code opcua/*.yaml}) and Kamelets
 * @param mappingsDir asset registry, JSONata mappings, JSON Schemas
 */
@Validated
@ConfigurationProperties("millwright")
public record HubDirectoriesProperties(
        @DefaultValue("./data") @NotBlank String dataDir,
        @DefaultValue("routes") @NotBlank String routesDir,
        @DefaultValue("adapters") @NotBlank String adaptersDir,
        @DefaultValue("mappings") @NotBlank String mappingsDir) {

    public Path data() {
        return Path.of(dataDir);
    }

    public Path routes() {
        return Path.of(routesDir);
    }

    public Path adapters() {
        return Path.of(adaptersDir);
    }

    public Path mappings() {
        return Path.of(mappingsDir);
    }
}
