package io.millwright.edge.link;

import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import org.apache.camel.builder.RouteBuilder;

/**
 * The central hub takes what its edges forward ({@value EdgeLink#INGRESS}: one CloudEvents JSON
 * event, or a CloudEvents JSON batch of signals, per message) and publishes it through the hub's
 * own publishing seam ({@value Endpoints#EVENT_PUBLISH}): on its Kafka topics and Artemis
 * addresses, exactly as if the events were its own, ids unchanged.
 *
 * <p>A message with production-count events goes first to {@value Endpoints#CENTRAL_COUNT_BOOKING},
 * which books the counts into this hub's ledger for its ERP connector (once per event id); booked
 * before publishing, so a message that fails either step and comes again is published once and
 * booked once.
 *
 * <p>One consumer, so events leave in the order they arrived, which is each edge's publishing
 * order (per asset as well). A message is acknowledged only after the publish route has taken
 * it; an event the publish route cannot send is parked there with its reason, and a message that
 * is not an event goes to the dead-letter store.
 */
public class CentralIngestRoute extends RouteBuilder {

    static final String ROUTE_ID = "central-edge-ingest";

    /** How a production-count event names its type in its JSON. */
    private static final String PRODUCTION_COUNT_TYPE = "\"" + EventType.PRODUCTION_COUNT.cloudEventType() + "\"";

    private final String consumer;

    /** @param jmsComponent the camel-jms component name bound to this hub's Artemis ({@code jms}) */
    public CentralIngestRoute(String jmsComponent) {
        // CLIENT_ACKNOWLEDGE: Spring's listener container acknowledges after the route returned
        this.consumer = jmsComponent + ":queue:" + EdgeLink.INGRESS
                + "?concurrentConsumers=1&maxConcurrentConsumers=1&acknowledgementModeName=CLIENT_ACKNOWLEDGE";
    }

    @Override
    public void configure() {
        errorHandler(deadLetterChannel(Endpoints.DEAD_LETTER).logExhausted(false));

        from(consumer)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "2").routeProperty("outcome", "predictability")
                .routeDescription("Publishes the events edge hubs forward (" + EdgeLink.INGRESS + ") as the hub's own, after booking their production counts")
                .convertBodyTo(String.class)
                // a cheap look before any parsing: signal batches, most of the traffic, never name the type
                .filter(body().contains(PRODUCTION_COUNT_TYPE))
                    .to(Endpoints.CENTRAL_COUNT_BOOKING)
                .end()
                .to(Endpoints.EVENT_PUBLISH);
    }
}
