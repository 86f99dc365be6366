package io.millwright.production;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import io.millwright.model.Parked;
import io.millwright.ops.FlowBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * On the central hub (profile {@code central}), books the production counts its edges forward
 * ({@value Endpoints#CENTRAL_COUNT_BOOKING}) into this hub's ledger, so that its ERP confirmation
 * window and relay post them to SAP as they post an all-in-one hub's own counts. Each
 * production-count event is booked once per CloudEvents id ({@link CounterLedger#bookForwarded}),
 * so a resend, a replay or a resubmitted dead letter never books a part twice.
 *
 * <p>An event that cannot be booked (no order operation, a delta below 1, a unit SAP cannot take)
 * is parked alone with the field and reason and can be resubmitted here once fixed; the rest of its
 * message is booked. A database failure is not caught: the edge ingress then fails the whole message
 * before publishing it (dead-lettered whole, or redelivered while the store is down too), and booking
 * it again when it comes back is harmless.
 * Counts the edge confirms itself (property {@value MessageHeaders#CONFIRMED_BY}) are not booked.
 */
@Component
@Profile("central")
class CentralCountBookingRoute extends RouteBuilder {

    static final String ROUTE_ID = "central-count-booking";

    private static final Logger log = LoggerFactory.getLogger(CentralCountBookingRoute.class);

    private final CounterLedger ledger;
    private final ObjectMapper json;
    private final ProducerTemplate producer;

    CentralCountBookingRoute(CounterLedger ledger, ObjectMapper json, ProducerTemplate producer) {
        this.ledger = ledger;
        this.json = json;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from(Endpoints.CENTRAL_COUNT_BOOKING)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Books the production counts edge hubs forward into this hub's ledger, once per event id,"
                        + " for the ERP confirmation window")
                .process(this::book);
    }

    private void book(Exchange exchange) {
        if (MessageHeaders.CONFIRMED_BY_EDGE.equals(exchange.getMessage().getHeader(MessageHeaders.CONFIRMED_BY, String.class))) {
            log.debug("Forwarded production count confirmed by its edge, not booked here");
            return;
        }
        String body = exchange.getMessage().getBody(String.class);
        List<Parked> parked = new ArrayList<>(0);
        JsonNode events;
        try {
            events = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            parked.add(new Parked(ROUTE_ID, Endpoints.CENTRAL_COUNT_BOOKING, "not CloudEvents JSON: " + e.getOriginalMessage(),
                    e.getClass().getName(), null, body));
            FlowBatches.park(producer, parked);
            return;
        }
        int booked = 0;
        for (JsonNode event : events.isArray() ? events : List.of(events)) {
            if (!EventType.PRODUCTION_COUNT.cloudEventType().equals(event.path("type").asText())) {
                continue;
            }
            try {
                if (ledger.bookForwarded(ForwardedCount.of(event))) {
                    booked++;
                }
            } catch (InvalidEventException e) {
                String correlationId = event.path("correlationid").asText(event.path("id").asText(null));
                parked.add(new Parked(ROUTE_ID, Endpoints.CENTRAL_COUNT_BOOKING,
                        "forwarded production count " + event.path("id").asText() + " not booked: " + e.getMessage(),
                        e.getClass().getName(), correlationId, event.toString()));
            }
        }
        if (booked > 0) {
            log.debug("Forwarded production counts booked count={}", booked);
        }
        FlowBatches.park(producer, parked);
    }
}
