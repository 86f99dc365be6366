package io.millwright.production;

import io.millwright.model.Endpoints;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Marks the ledger rows of the production counts an edge's link delivered ({@value Endpoints#LEDGER_FORWARDED}),
 * and every hour deletes those forwarded longer ago than {@code millwright.production.forwarded-ledger-retention}
 * ({@link ForwardedLedger}). On a hub that forwards nothing (all-in-one, central) no row is marked, and the hourly
 * delete finds none.
 */
@Component
class ForwardedLedgerRoute extends RouteBuilder {

    private final ForwardedLedger ledger;

    ForwardedLedgerRoute(ForwardedLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure() {
        from(Endpoints.LEDGER_FORWARDED)
                .routeId("production-ledger-forwarded")
                .routeProperty("layer", "1").routeProperty("outcome", "cost")
                .routeDescription("Marks ledger rows whose production-count events the central hub's broker acknowledged")
                .process(exchange -> ledger.markForwarded(exchange.getMessage().getBody(List.class)));

        from("timer:production-ledger-prune?period=3600000&delay=60000")
                .routeId("production-ledger-prune")
                .routeProperty("layer", "1").routeProperty("outcome", "cost")
                .routeDescription("Deletes ledger rows forwarded to the central hub longer ago than the retention")
                .process(exchange -> ledger.prune());
    }
}
