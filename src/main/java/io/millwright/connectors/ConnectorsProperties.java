package io.millwright.connectors;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the enterprise connectors, under {@code millwright.connectors}.
 *
 * @param enabled        runs the connector files of {@code mappings/connectors/}
 * @param reloadEnabled  applies saved, added and deleted connector files while the hub runs
 * @param reloadDebounce quiet time after a file's last change before it is read and applied; editors
 *                       write a file in several events
 * @param plmInbox       where PLM routing and bill-of-material files are picked up; none = the
 *                       mappings folder's {@code inbox/plm}
 */
@Validated
@ConfigurationProperties("millwright.connectors")
public record ConnectorsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean reloadEnabled,
        @NotNull @DefaultValue("500ms") Duration reloadDebounce,
        Path plmInbox) {

    public ConnectorsProperties {
        if (reloadDebounce != null && (reloadDebounce.isNegative() || reloadDebounce.compareTo(Duration.ofMinutes(1)) > 0)) {
            throw new IllegalArgumentException(
                    "millwright.connectors.reload-debounce: " + reloadDebounce + " is outside 0s..1m; use e.g. 500ms");
        }
    }

    /** The PLM inbox: {@code plm-inbox} when set, else {@code inbox/plm} under the mappings folder. */
    public Path plmInbox(Path mappingsDir) {
        return plmInbox != null ? plmInbox : mappingsDir.resolve("inbox/plm");
    }
}
