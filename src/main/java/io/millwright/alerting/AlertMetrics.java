package io.millwright.alerting;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * The alerts for Prometheus: {@code millwright_alerts_open{severity=...}} (raised and not yet
 * cleared) and {@code millwright_alerts_unacknowledged} (open ones nobody acknowledged yet). Read
 * from {@link AlertStore} at each scrape, so every hub instance on one database reports the same.
 */
class AlertMetrics implements MeterBinder {

    /** The severities a rule may carry (alert-rules.yaml); one gauge each, so a dashboard needs no guess. */
    static final List<String> SEVERITIES = List.of("critical", "warning", "info");

    private final AlertStore store;

    AlertMetrics(AlertStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String severity : SEVERITIES) {
            Gauge.builder("millwright.alerts.open", store,
                            s -> s.open().stream().filter(alert -> severity.equalsIgnoreCase(alert.severity())).count())
                    .description("Alerts raised and not yet cleared")
                    .tag("severity", severity)
                    .register(registry);
        }
        Gauge.builder("millwright.alerts.unacknowledged", store,
                        s -> s.open().stream().filter(alert -> alert.acknowledgedBy() == null).count())
                .description("Open alerts nobody has acknowledged yet")
                .register(registry);
    }
}
