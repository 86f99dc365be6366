package io.millwright.dispatch;

import io.millwright.model.Endpoints;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Dispatches from the Artemis queue {@code millwright.dispatch}, one message each: applied like
 * {@code POST /api/dispatch}. One that cannot be applied (not JSON, against the schema) goes as it
 * came to {@code millwright.dispatch.dead-letter} with the reason in {@value MessageHeaders#DEAD_LETTER_REASON};
 * the MES can read it there, fix it and send it again.
 */
@Component
class DispatchRoute extends RouteBuilder {

    static final String ROUTE_ID = "mes-dispatch-in";

    private final DispatchService service;
    private final DispatchPublisher publisher;

    DispatchRoute(DispatchService service, DispatchPublisher publisher) {
        this.service = service;
        this.publisher = publisher;
    }

    @Override
    public void configure() {
        from(Endpoints.DISPATCH_QUEUE)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "4").routeProperty("outcome", "throughput")
                .routeDescription("Order dispatch in from the MES: drives the order context, emits order-started/order-completed")
                .doTry()
                    .process(this::apply)
                .doCatch(InvalidEventException.class)
                    .process(exchange -> {
                        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        exchange.getMessage().setHeader(MessageHeaders.DEAD_LETTER_REASON, e.getMessage());
                    })
                    .log(org.apache.camel.LoggingLevel.WARN, "Dispatch refused, sent to millwright.dispatch.dead-letter reason=${header."
                            + MessageHeaders.DEAD_LETTER_REASON + "}")
                    .to(Endpoints.DISPATCH_DEAD_LETTER)
                .end();
    }

    private void apply(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        String correlationId = exchange.getMessage().getHeader(MessageHeaders.CORRELATION_ID, exchange.getExchangeId(), String.class);
        publisher.publish(service.apply(body, correlationId));
    }
}
