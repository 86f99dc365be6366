package io.millwright.ot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the OT adapters, {@code millwright.ot.*}.
 *
 * @param enabled load the OPC UA connection files and run their ingest routes (default true)
 */
@Validated
@ConfigurationProperties("millwright.ot")
public record OtProperties(@DefaultValue("true") boolean enabled) {}
