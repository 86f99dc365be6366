package io.millwright.erp;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code erp-reconciliation}: every {@code millwright.erp.reconciliation.interval} reconciles the
 * recently active order operations and raises an alert on any variance ({@link ScheduledReconciliation}).
 * Not started when the interval is {@code off}.
 */
@Component
class ReconciliationRoute extends RouteBuilder {

    private final ScheduledReconciliation reconciliation;
    private final ErpReconciliationProperties settings;

    ReconciliationRoute(ScheduledReconciliation reconciliation, ErpReconciliationProperties settings) {
        this.reconciliation = reconciliation;
        this.settings = settings;
    }

    @Override
    public void configure() {
        if (!settings.enabled()) {
            return;
        }
        long period = settings.period().toMillis();
        from("timer:erp-reconciliation?period=" + period + "&delay=" + period)
                .routeId("erp-reconciliation")
                .routeProperty("layer", "4").routeProperty("outcome", "predictability")
                .routeDescription("Reconciles plant, hub and ERP totals of recently active order operations; alerts on variance")
                .doTry()
                    .bean(reconciliation, "run")
                .doCatch(Exception.class)
                    // e.g. the ERP is down: the next run tries again; the relay's own alerts and metrics cover the outage
                    .log(LoggingLevel.WARN, "ERP reconciliation run failed; retrying on the next run reason=${exception.message}")
                .end();
    }
}
