package io.millwright.enrich;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the telemetry flow, {@code millwright.enrich.*}.
 *
 * @param mappings per connection id, a JSONata mapping file under {@code millwright.mappings-dir}
 *     (e.g. {@code line2-press: transform/press-to-signal.jsonata}) used instead of the built-in one;
 *     empty = every connection uses the built-in mapping (the Java twin of
 *     {@code transform/opcua-to-signal.jsonata}). A connection file's own {@code mapping:} key wins
 *     over an entry here.
 * @param registryReloadEnabled watch {@code assets.yaml} and {@code asset-rules.yaml} while running
 *     and swap in a saved version once it passes the check; false = read them at start-up only
 * @param registryReloadDebounce quiet period after the last change event before the files are read
 *     (editors write one save as several events); 0s..1m
 */
@Validated
@ConfigurationProperties("millwright.enrich")
public record EnrichProperties(
        @NotNull @DefaultValue Map<String, String> mappings,
        @DefaultValue("true") boolean registryReloadEnabled,
        @NotNull @DefaultValue("500ms") Duration registryReloadDebounce) {

    public EnrichProperties {
        if (registryReloadDebounce != null
                && (registryReloadDebounce.isNegative() || registryReloadDebounce.compareTo(Duration.ofMinutes(1)) > 0)) {
            throw new IllegalArgumentException("millwright.enrich.registry-reload-debounce: " + registryReloadDebounce
                    + " is outside 0s..1m; use e.g. 500ms");
        }
    }
}
