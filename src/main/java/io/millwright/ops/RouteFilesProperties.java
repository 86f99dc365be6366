package io.millwright.ops;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the route folder watcher, under {@code millwright.routes}. The folder itself is
 * {@code millwright.routes-dir}.
 *
 * @param reloadEnabled  watch the folder while running and apply saves; false loads the folder
 *                       once at start-up only
 * @param reloadDebounce quiet period after the last file event before a file is validated and
 *                       swapped; editors write a file in several events
 * @param allowedComponents Camel components a route file may use; {@code name} anywhere,
 *                       {@code name:consume} only in {@code from:} (see {@link ComponentAllowList})
 * @param additionalDirs further route folders loaded and watched like the routes folder, with the
 *                       same checks; the solution templates switched on add theirs
 *                       ({@code config/solutions/<name>/routes})
 */
@Validated
@ConfigurationProperties("millwright.routes")
public record RouteFilesProperties(
        @DefaultValue("true") boolean reloadEnabled,
        @NotNull @DefaultValue("500ms") Duration reloadDebounce,
        @DefaultValue({"direct", "seda", "timer", "scheduler", "log", "mock", "kamelet", "jms", "kafka", "paho-mqtt5",
                "bean", "jsonata", "json-validator", "http", "https", "file:consume"}) List<String> allowedComponents,
        @NotNull @DefaultValue List<Path> additionalDirs) {

    public RouteFilesProperties {
        if (reloadDebounce != null && (reloadDebounce.isNegative() || reloadDebounce.compareTo(Duration.ofMinutes(1)) > 0)) {
            throw new IllegalArgumentException(
                    "millwright.routes.reload-debounce: " + reloadDebounce + " is outside 0s..1m; use e.g. 500ms");
        }
    }
}
