package io.millwright.edge.link;

import io.millwright.model.Endpoints;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;

/**
 * Every 5 s, hands the ids of the production-count events the link delivered ({@link ForwardedCounts}) to the
 * ledger ({@value Endpoints#LEDGER_FORWARDED}), which marks their rows forwarded (and prunes them after the
 * retention). Not added on an edge that confirms its own counts: its confirmation window still needs them.
 */
class ForwardedCountsRoute extends RouteBuilder {

    /** Most ids per message to the ledger: one UPDATE ... IN (...) each. */
    static final int BATCH = 500;

    private final ForwardedCounts forwarded;
    private final boolean enabled;

    ForwardedCountsRoute(ForwardedCounts forwarded, boolean enabled) {
        this.forwarded = forwarded;
        this.enabled = enabled;
    }

    @Override
    public void configure() {
        if (!enabled) {
            return;
        }
        from("timer:edge-ledger-forwarded?period=5000&delay=5000")
                .routeId("edge-ledger-forwarded")
                .routeProperty("layer", "1").routeProperty("outcome", "cost")
                .routeDescription("Marks the ledger rows of production counts the central hub's broker acknowledged as forwarded")
                .loopDoWhile(exchange -> {
                    List<String> ids = forwarded.drain(BATCH);
                    exchange.getMessage().setBody(ids);
                    return !ids.isEmpty();
                })
                    .to(Endpoints.LEDGER_FORWARDED)
                .end();
    }
}
