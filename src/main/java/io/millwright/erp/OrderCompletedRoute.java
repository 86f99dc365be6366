package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code order-completed} events (CloudEvents JSON on Kafka topic {@code millwright.events.order-completed},
 * published by {@code dispatch}) complete the order operation towards SAP: its last confirmation is
 * the final one ({@link FinalConfirmations}). Its own consumer group, from the latest records; a
 * replayed event changes nothing (a completion is recorded once). An event that cannot be applied
 * goes to the dead-letter store with its reason and can be resubmitted to {@value #COMPLETE}.
 * Off with {@code millwright.erp.final-confirmation.on-order-completed=false}.
 */
@Component
@ConditionalOnProperty(name = "millwright.erp.final-confirmation.on-order-completed", havingValue = "true", matchIfMissing = true)
class OrderCompletedRoute extends RouteBuilder {

    /** Completes the order operation of one order-completed event (its CloudEvents JSON). */
    static final String COMPLETE = "direct:erp-order-completed";

    private static final String EVENT = "MillwrightOrderCompletedEvent";

    private final FinalConfirmations finals;
    private final ObjectMapper json;

    OrderCompletedRoute(FinalConfirmations finals, ObjectMapper json) {
        this.finals = finals;
        this.json = json;
    }

    @Override
    public void configure() {
        from("kafka:millwright.events." + EventType.ORDER_COMPLETED.eventName()
                + "?groupId={{millwright.erp.final-confirmation.consumer-group:millwright-erp-final-confirmation}}"
                + "&autoOffsetReset=latest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.StringDeserializer")
                .routeId("erp-order-completed-consume")
                .routeProperty("layer", "4").routeProperty("outcome", "throughput")
                .routeDescription("order-completed events from Kafka to the final confirmation of their order operation")
                .to(COMPLETE);

        from(COMPLETE)
                .routeId("erp-order-completed")
                .routeProperty("layer", "4").routeProperty("outcome", "throughput")
                .routeDescription("Completes an order operation: its last confirmation to SAP carries the final-confirmation flag")
                .onException(InvalidEventException.class, com.fasterxml.jackson.core.JsonProcessingException.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .process(exchange -> {
                        exchange.getMessage().setHeader(MessageHeaders.DEAD_LETTER_REASON, "order-completed event not applied: "
                                + exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                        exchange.setProperty(MessageHeaders.RESUBMIT_ENDPOINT, COMPLETE);
                        exchange.setProperty(MessageHeaders.RESUBMIT_BODY, exchange.getProperty(EVENT, String.class));
                    })
                    .to(Endpoints.DEAD_LETTER)
                .end()
                .process(exchange -> exchange.setProperty(EVENT, exchange.getMessage().getBody(String.class)))
                .process(this::complete);
    }

    private void complete(Exchange exchange) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode event = json.readTree(exchange.getMessage().getBody(String.class));
        JsonNode data = event.path("data");
        String orderId = data.path("orderId").asText(null);
        String operation = data.path("operation").asText(null);
        InvalidEventException.required("data.orderId", orderId);
        InvalidEventException.required("data.operation", operation);
        finals.complete(orderId, operation, "order-completed event " + event.path("id").asText("(no id)"));
    }
}
