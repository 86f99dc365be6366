package io.millwright.edge.link;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The central hub's side of the edge links, {@code millwright.central.*} (used by the
 * {@code central} profile).
 *
 * @param edgeUser the user edge hubs log in as on this hub's Artemis (role {@code edge}: send to
 *     {@value EdgeLink#INGRESS} only)
 * @param edgePassword its password, from {@code MILLWRIGHT_EDGE_PASSWORD}; the {@code central}
 *     profile refuses to start without it
 * @param idCacheSize CloudEvents ids the broker remembers per address to drop an event an edge
 *     sends twice (Artemis duplicate detection, {@code id-cache-size}, persisted); keep it above
 *     the events all edges send while one link is being re-established
 */
@Validated
@ConfigurationProperties("millwright.central")
public record CentralIngestProperties(
        @DefaultValue("edge") @NotBlank String edgeUser,
        String edgePassword,
        @DefaultValue("100000") @Min(1000) int idCacheSize) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "CentralIngestProperties[edgeUser=" + edgeUser + ", edgePassword=******, idCacheSize=" + idCacheSize + "]";
    }
}
