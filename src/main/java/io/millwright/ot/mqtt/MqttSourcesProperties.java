package io.millwright.ot.mqtt;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Plain MQTT JSON sources, {@code millwright.mqtt.sources.<source id>.*}: each one broker, its
 * topic filters and a JSONata mapping from a message to readings. None by default.
 *
 * @param sources per source id ({@code [A-Za-z0-9._-]+}; events get the source {@code mqtt://<id>})
 */
@Validated
@ConfigurationProperties("millwright.mqtt")
public record MqttSourcesProperties(@NotNull @DefaultValue Map<String, @Valid Source> sources) {

    /**
     * One MQTT source.
     *
     * @param brokerUrl {@code tcp://host:1883}, {@code ssl://host:8883}
     * @param version   {@code 5} (default) or {@code 3.1.1}
     * @param topics    topic filters to subscribe to, wildcards {@code +} and {@code #} allowed
     * @param mapping   JSONata file under {@code millwright.mappings-dir}; empty = the built-in mapping
     *                  (every scalar field of the JSON object is a tag, nested objects joined with '/')
     * @param qos       subscription QoS 0..2
     * @param clientId  MQTT client id prefix; empty = {@code millwright-<id>}
     * @param username  MQTT user; empty = none
     * @param password  from the environment only ({@code MILLWRIGHT_MQTT_SOURCES_<ID>_PASSWORD}); empty = none
     */
    public record Source(
            @NotBlank @Pattern(regexp = "(tcp|ssl|ws|wss)://.+", message = "must be tcp://host:port or ssl://host:port") String brokerUrl,
            @DefaultValue("5") @Pattern(regexp = "5|3\\.1\\.1", message = "must be 5 or 3.1.1") String version,
            @NotEmpty List<@NotBlank String> topics,
            @DefaultValue("") @NotNull String mapping,
            @DefaultValue("1") @Min(0) @Max(2) int qos,
            @DefaultValue("") @NotNull String clientId,
            @DefaultValue("") @NotNull String username,
            @DefaultValue("") @NotNull String password) {

        @Override
        public String toString() {
            return "Source[brokerUrl=" + brokerUrl + ", version=" + version + ", topics=" + topics + ", mapping=" + mapping + "]";
        }
    }
}
