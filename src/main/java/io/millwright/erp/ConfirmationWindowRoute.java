package io.millwright.erp;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Every {@code millwright.erp.confirmation-window}, closes the window of counted parts into
 * confirmations. A failed close (database down) is logged by the default error handler and
 * simply retried at the next tick: the increments stay in the ledger until a close commits.
 */
@Component
class ConfirmationWindowRoute extends RouteBuilder {

    private final ErpProperties properties;

    ConfirmationWindowRoute(ErpProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        long window = properties.confirmationWindow().toMillis();
        from("timer:erp-confirmation-window?period=" + window + "&delay=" + window)
                .routeId("erp-confirmation-window")
                .routeDescription("Sums counted parts per order operation into confirmations in the ERP outbox")
                .bean(ConfirmationWindow.class, "close");
    }
}
