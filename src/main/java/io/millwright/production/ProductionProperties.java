package io.millwright.production;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of production events, {@code millwright.production.*}.
 *
 * @param alarmHysteresis how far back inside a limit a measurement must come before its alarm
 *     clears, in percent of the tag's limit band ({@code high - low}; of the limit itself when
 *     only one is set): 2 clears a high alarm at 85 CEL (band 15-85) at 83.6 CEL or below, so a
 *     value that wavers around the limit raises one alarm, not one per reading
 * @param forwardedLedgerRetention on an edge whose counts the central hub confirms, how long a ledger row is kept
 *     after the central hub's broker acknowledged its production-count event; then it is deleted (the central
 *     hub's ledger holds the count). Rows not yet forwarded are never deleted
 */
@Validated
@ConfigurationProperties("millwright.production")
public record ProductionProperties(
        @DefaultValue("2") @DecimalMin("0") @DecimalMax("50") double alarmHysteresis,
        @DefaultValue("7d") @NotNull Duration forwardedLedgerRetention) {

    @ConstructorBinding
    public ProductionProperties {
        if (forwardedLedgerRetention != null && forwardedLedgerRetention.isNegative()) {
            throw new IllegalArgumentException("millwright.production.forwarded-ledger-retention=" + forwardedLedgerRetention
                    + " must not be negative; e.g. 7d");
        }
    }

    /** The settings with the default retention of forwarded ledger rows (7 days). */
    public ProductionProperties(double alarmHysteresis) {
        this(alarmHysteresis, Duration.ofDays(7));
    }
}
