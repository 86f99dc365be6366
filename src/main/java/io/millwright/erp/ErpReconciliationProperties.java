package io.millwright.erp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

/**
 * The scheduled reconciliation ({@code millwright.erp.reconciliation.*}).
 *
 * @param interval how often every recently active order operation is reconciled (plant, hub,
 *        ERP); {@code off} (the default) or a duration such as {@code 15m}
 * @param lookback order operations with outbox activity within this span are reconciled
 */
@ConfigurationProperties("millwright.erp.reconciliation")
public record ErpReconciliationProperties(@DefaultValue("off") String interval, @DefaultValue("24h") Duration lookback) {

    public ErpReconciliationProperties {
        interval = interval == null || interval.isBlank() ? "off" : interval.trim();
        lookback = lookback == null ? Duration.ofHours(24) : lookback;
        if (enabledFor(interval) && period(interval).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("millwright.erp.reconciliation.interval=" + interval
                    + " must be off or at least 1s: each run reads every active order operation back from the ERP");
        }
    }

    /** Whether the reconciliation runs on a schedule. */
    public boolean enabled() {
        return enabledFor(interval);
    }

    /** The interval as a duration; only when {@link #enabled()}. */
    public Duration period() {
        return period(interval);
    }

    private static boolean enabledFor(String interval) {
        return !"off".equalsIgnoreCase(interval) && !"false".equalsIgnoreCase(interval);
    }

    private static Duration period(String interval) {
        try {
            return DurationStyle.detectAndParse(interval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("millwright.erp.reconciliation.interval=" + interval
                    + " is neither off nor a duration such as 15m", e);
        }
    }
}
