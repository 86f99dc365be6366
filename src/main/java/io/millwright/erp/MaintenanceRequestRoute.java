package io.millwright.erp;

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
 * {@code maintenance-request} events (Kafka topic {@code millwright.events.maintenance-request}, from
 * analytics' anomaly detection or any route) raise a maintenance notification in SAP through the ERP
 * outbox ({@link MaintenanceNotifications}). Its own consumer group, from the latest records; a
 * replayed event queues nothing new. An event that cannot be used goes to the dead-letter store with
 * its reason, resubmittable to {@value #RAISE}. Off with {@code millwright.erp.documents.notifications-enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "millwright.erp.documents.notifications-enabled", havingValue = "true", matchIfMissing = true)
class MaintenanceRequestRoute extends RouteBuilder {

    static final String RAISE = "direct:erp-maintenance-notification";
    private static final String EVENT = "MillwrightMaintenanceRequestEvent";

    private final MaintenanceNotifications notifications;
    private final ObjectMapper json;

    MaintenanceRequestRoute(MaintenanceNotifications notifications, ObjectMapper json) {
        this.notifications = notifications;
        this.json = json;
    }

    @Override
    public void configure() {
        from("kafka:millwright.events." + EventType.MAINTENANCE_REQUEST.eventName()
                + "?groupId={{millwright.erp.documents.notifications-consumer-group:millwright-erp-notifications}}"
                + "&autoOffsetReset=latest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.StringDeserializer")
                .routeId("erp-maintenance-request-consume")
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("maintenance-request events from Kafka to SAP maintenance notifications")
                .to(RAISE);

        from(RAISE)
                .routeId("erp-maintenance-notification")
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Queues an SAP maintenance notification (API_MAINTNOTIFICATION) for an open maintenance request")
                .onException(InvalidEventException.class, com.fasterxml.jackson.core.JsonProcessingException.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .process(exchange -> {
                        exchange.getMessage().setHeader(MessageHeaders.DEAD_LETTER_REASON, "maintenance-request event not raised in SAP: "
                                + exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                        exchange.setProperty(MessageHeaders.RESUBMIT_ENDPOINT, RAISE);
                        exchange.setProperty(MessageHeaders.RESUBMIT_BODY, exchange.getProperty(EVENT, String.class));
                    })
                    .to(Endpoints.DEAD_LETTER)
                .end()
                .process(exchange -> exchange.setProperty(EVENT, exchange.getMessage().getBody(String.class)))
                .process(exchange -> notifications.raise(json.readTree(exchange.getProperty(EVENT, String.class))));
    }
}
