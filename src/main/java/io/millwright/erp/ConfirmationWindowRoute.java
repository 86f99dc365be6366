package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.Parked;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every {@code millwright.erp.confirmation-window}, closes the window of counted parts into
 * confirmations. A failed close (database down) is logged by the default error handler and
 * simply retried at the next tick: the increments stay in the ledger until a close commits. A
 * group that cannot be confirmed is parked ({@code direct:tracking-park}, on this thread so it joins
 * the group's transaction); resubmitting it ({@link ConfirmationWindow#RELEASE}) releases its
 * counts to the next window.
 *
 * <p>Neither route is added on a hub whose counts the central hub confirms
 * ({@code millwright.erp.confirmed-by=central}, the edge profile).
 */
@Component
class ConfirmationWindowRoute extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationWindowRoute.class);

    private final ErpProperties properties;
    private final ConfirmationWindow window;
    private final ObjectMapper json;
    private ProducerTemplate parking;

    ConfirmationWindowRoute(ErpProperties properties, ConfirmationWindow window, ObjectMapper json) {
        this.properties = properties;
        this.window = window;
        this.json = json;
    }

    @Override
    public void configure() {
        if (!properties.confirmsOwnCounts()) {
            // an edge whose counts the central hub confirms (millwright.erp.confirmed-by=central): nothing is summed
            // here, so nothing waits PENDING in this hub's outbox; its ledger keeps the increments as lineage
            log.info("ERP confirmation window off (millwright.erp.confirmed-by=central): the central hub confirms the counts"
                    + " this hub forwards as production-count events");
            return;
        }
        long period = properties.confirmationWindow().toMillis();
        from("timer:erp-confirmation-window?period=" + period + "&delay=" + period)
                .routeId(ConfirmationWindow.ROUTE_ID)
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Sums counted parts per order operation into confirmations in the ERP outbox")
                .process(exchange -> window.close(this::park));

        from(ConfirmationWindow.RELEASE)
                .routeId("erp-confirmation-window-release")
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Releases the counts of a resubmitted parked confirmation group to the next window")
                .process(exchange -> window.release(json.readValue(exchange.getMessage().getBody(String.class),
                        ConfirmationWindow.ParkedGroup.class)));
    }

    private void park(List<Parked> parked) {
        Exchange result = template().send(Endpoints.PARK, exchange -> exchange.getMessage().setBody(parked));
        if (result.getException() != null) {
            throw new IllegalStateException("parked group could not be dead-lettered: " + result.getException().getMessage(),
                    result.getException());
        }
    }

    private synchronized ProducerTemplate template() {
        if (parking == null) {
            parking = getContext().createProducerTemplate();
        }
        return parking;
    }
}
