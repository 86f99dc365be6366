package io.millwright.edge;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Edge stream analytics, {@code millwright.edge.*}: filters applied to readings before the
 * telemetry flow (so before publishing), and windowed rollups published as {@code signal-rollup}
 * events. Each entry selects readings by a glob on the source ({@code sparkplug://plant-1/**}) and
 * one on the tag ({@code Process/*}): {@code *} is any text within one '/'-segment, {@code **} any
 * text. The first filter that matches a tag is its filter. None by default: everything passes.
 *
 * @param filters per tag or group: deadband, minimum interval, report by exception
 * @param rollups per tag or group: min, max, avg, count, last per window
 */
@Validated
@ConfigurationProperties("millwright.edge")
public record EdgeProperties(@NotNull @DefaultValue List<@Valid Filter> filters, @NotNull @DefaultValue List<@Valid Rollup> rollups) {

    /**
     * @param source            glob on the reading's source, e.g. {@code sparkplug://plant-1/**}
     * @param tags              glob on its tag, e.g. {@code Process/*}; default all
     * @param deadband          a numeric value passes only when it differs from the last passed one by more than this
     * @param deadbandPercent   ... by more than this percentage of the last passed value's magnitude (0..100)
     * @param minInterval       a value passes only when at least this long after the last passed one (source time)
     * @param reportByException a value passes only when it differs from the last passed one
     */
    public record Filter(
            @DefaultValue("**") @NotBlank String source,
            @DefaultValue("**") @NotBlank String tags,
            @PositiveOrZero Double deadband,
            @PositiveOrZero @DecimalMax("100") Double deadbandPercent,
            Duration minInterval,
            @DefaultValue("false") boolean reportByException) {}

    /**
     * @param source glob on the reading's source
     * @param tags   glob on its tag; default all
     * @param window window length, aligned to the epoch (60s = every full minute); at least 1s
     */
    public record Rollup(
            @DefaultValue("**") @NotBlank String source,
            @DefaultValue("**") @NotBlank String tags,
            @NotNull Duration window) {}
}
