package io.millwright.enrich;

import jakarta.validation.constraints.NotNull;
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
 *     {@code transform/opcua-to-signal.jsonata})
 */
@Validated
@ConfigurationProperties("millwright.enrich")
public record EnrichProperties(@NotNull @DefaultValue Map<String, String> mappings) {}
