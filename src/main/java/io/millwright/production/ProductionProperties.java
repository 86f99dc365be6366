package io.millwright.production;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of production events, {@code millwright.production.*}.
 *
 * @param alarmHysteresis how far back inside a limit a measurement must come before its alarm
 *     clears, in percent of the tag's limit band ({@code high - low}; of the limit itself when
 *     only one is set): 2 clears a high alarm at 85 CEL (band 15-85) at 83.6 CEL or below, so a
 *     value that wavers around the limit raises one alarm, not one per reading
 */
@Validated
@ConfigurationProperties("millwright.production")
public record ProductionProperties(@DefaultValue("2") @DecimalMin("0") @DecimalMax("50") double alarmHysteresis) {}
