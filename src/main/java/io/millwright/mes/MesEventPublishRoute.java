package io.millwright.mes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.ops.ErrorPolicies;
import io.millwright.tracking.DeadLetterRoute;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Publishes a canonical event (an {@link EventEnvelope} body) to its Kafka topic, keyed by the
 * asset path so that one asset's events stay in order on one partition, and to its Artemis
 * multicast address as a bytes message, so that MQTT, AMQP, STOMP and JMS subscribers all read
 * the same JSON. CloudEvents attributes also travel as {@code ce_} headers (Kafka protocol
 * binding; JMS properties on Artemis).
 */
@Component
public class MesEventPublishRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:mes-event-publish";
    static final String DESTINATION_PROPERTY = "MillwrightEventDestination";

    private final ObjectMapper objectMapper;

    public MesEventPublishRoute(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public void configure() {
        from(ENDPOINT)
                .routeId("mes-event-publish")
                .routeDescription("Publishes canonical events to Kafka topics and Artemis addresses millwright.events.<type>")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::toStructuredJson)
                .toD("kafka:${exchangeProperty." + DESTINATION_PROPERTY + "}")
                .toD("jms:topic:${exchangeProperty." + DESTINATION_PROPERTY + "}?jmsMessageType=Bytes");
    }

    /** Accepts an envelope, or its JSON text when a dead-lettered publication is resubmitted. */
    private void toStructuredJson(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        exchange.setProperty(DeadLetterRoute.RESUBMIT_ENDPOINT_PROPERTY, ENDPOINT);
        Object body = message.getBody();
        EventEnvelope<?> event = body instanceof EventEnvelope<?> envelope
                ? envelope
                : objectMapper.readValue(message.getMandatoryBody(String.class), EventEnvelope.class);
        String type = event.type();
        exchange.setProperty(DESTINATION_PROPERTY, EventType.ofCloudEventType(type).destination());
        message.setHeader(KafkaConstants.KEY, event.subject());
        message.setHeader("ce_specversion", event.specversion());
        message.setHeader("ce_id", event.id());
        message.setHeader("ce_type", type);
        message.setHeader("ce_source", event.source());
        if (event.subject() != null) {
            message.setHeader("ce_subject", event.subject());
        }
        if (event.time() != null) {
            message.setHeader("ce_time", event.time().toString());
        }
        message.setHeader("content-type", "application/cloudevents+json; charset=UTF-8");
        message.setBody(objectMapper.writeValueAsString(event));
    }
}
