package io.millwright.ops;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the side routes (analytics, alerting) give way to the telemetry path,
 * {@code millwright.side-routes.*} ({@link TelemetryPressure}).
 *
 * @param telemetryBehindFill the OPC UA hand-off fill (0..1) from which the telemetry counts as
 *     behind and the side routes wait before their next poll
 * @param maxWait the longest a side route waits before it works on a poll anyway
 * @param nice the Linux nice value of the side routes' threads, 0 (normal priority) to 19 (lowest):
 *     on a busy machine the telemetry path's threads get the CPU first ({@link SideRouteThreads})
 */
@Validated
@ConfigurationProperties("millwright.side-routes")
public record SideRoutesProperties(
        @DefaultValue("0.02") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double telemetryBehindFill,
        @DefaultValue("2s") @NotNull Duration maxWait,
        @DefaultValue("10") @Min(0) @Max(19) int nice) {}
