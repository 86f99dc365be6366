package io.millwright.ot.sparkplug;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Sparkplug B primary host application, {@code millwright.sparkplug.*}.
 *
 * @param enabled    run the host (default false: the all-in-one hub has no Sparkplug broker of its own)
 * @param hostId     Sparkplug host id: STATE goes to {@code spBv1.0/STATE/<host-id>}; no '/', '+' or '#'
 * @param brokerUrl  MQTT broker, {@code tcp://host:1883} or {@code ssl://host:8883} (TLS with the JVM's trust store)
 * @param clientId   MQTT client id; empty = {@code millwright-<host-id>}
 * @param username   MQTT user name; empty = none
 * @param password   MQTT password, from the environment only ({@code MILLWRIGHT_SPARKPLUG_PASSWORD}); empty = none
 * @param keepAlive  MQTT keep-alive; the broker publishes the host's will after 1.5 times this without traffic
 * @param connectTimeout how long one connection attempt may take
 * @param rebirthOnUnknownAlias request a rebirth when DATA names an alias the BIRTH did not (spec: recommended)
 * @param groupIds   the Sparkplug groups this host takes ({@code spBv1.0/<group>/#} each); empty (the default) = every
 *                   group ({@code spBv1.0/#}, as the spec's primary host). Set it when several hosts share a broker
 *                   and each serves its own groups: a host answers only its groups' edge nodes (rebirth requests)
 */
@Validated
@ConfigurationProperties("millwright.sparkplug")
public record SparkplugProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("millwright") @NotBlank @Pattern(regexp = "[^/+#]+", message = "must not contain '/', '+' or '#'") String hostId,
        @DefaultValue("tcp://127.0.0.1:1883") @NotBlank @Pattern(regexp = "(tcp|ssl)://.+", message = "must be tcp://host:port or ssl://host:port") String brokerUrl,
        @DefaultValue("") @NotNull String clientId,
        @DefaultValue("") @NotNull String username,
        @DefaultValue("") @NotNull String password,
        @DefaultValue("30s") @NotNull Duration keepAlive,
        @DefaultValue("10s") @NotNull Duration connectTimeout,
        @DefaultValue("true") boolean rebirthOnUnknownAlias,
        @DefaultValue @NotNull List<@NotBlank @Pattern(regexp = "[^/+#]+", message = "must not contain '/', '+' or '#'") String> groupIds) {

    /** The topic filters of the Sparkplug messages this host takes: {@code spBv1.0/#}, or one per group id. */
    public List<String> subscriptions() {
        return groupIds.isEmpty() ? List.of("spBv1.0/#") : groupIds.stream().map(group -> "spBv1.0/" + group + "/#").toList();
    }

    /** The MQTT client id in use. */
    public String effectiveClientId() {
        return clientId.isBlank() ? "millwright-" + hostId : clientId;
    }

    /** {@code spBv1.0/STATE/<host-id>}. */
    public String stateTopic() {
        return "spBv1.0/STATE/" + hostId;
    }

    @Override
    public String toString() {
        // never the password
        return "SparkplugProperties[hostId=" + hostId + ", brokerUrl=" + brokerUrl + ", clientId=" + effectiveClientId()
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + ", groupIds=" + groupIds + "]";
    }
}
