package io.millwright.mes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.ops.FlowBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Publishes canonical events ({@value Endpoints#EVENT_PUBLISH}: a list of envelopes, one, or their
 * JSON) to their Kafka topic, keyed by asset path so that one asset's events stay in order on one
 * partition, and to their Artemis multicast address. Each event is serialized once; Kafka takes the
 * batch asynchronously ({@link KafkaEventSender}), Artemis in one transaction ({@link ArtemisEventSender}).
 */
@Component
class EventPublishRoute extends RouteBuilder {

    static final String ROUTE_ID = "mes-event-publish";
    static final String KAFKA_SEND = "bean:" + KafkaEventSender.BEAN + "?method=send";
    static final String ARTEMIS_SEND = "bean:" + ArtemisEventSender.BEAN + "?method=send";

    @SuppressWarnings("rawtypes")
    private static final TypeReference<List<EventEnvelope>> ENVELOPES = new TypeReference<>() {};

    private final ObjectMapper objectMapper;
    private final EventJsonWriter writer;
    private final MesProperties properties;

    EventPublishRoute(ObjectMapper objectMapper, MesProperties properties) {
        this.objectMapper = objectMapper;
        this.writer = new EventJsonWriter(objectMapper);
        this.properties = properties;
    }

    @Override
    public void configure() {
        // a broker that fails a batch (Artemis restarting) gets it again at the failed step, then the
        // batch is parked as it arrived here; meanwhile the caller waits, which is the back-pressure
        // the OPC UA hand-off needs
        errorHandler(deadLetterChannel(Endpoints.DEAD_LETTER)
                .maximumRedeliveries(properties.artemisRedeliveries())
                .redeliveryDelay(500)
                .useExponentialBackOff()
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(false));

        var publish = from(Endpoints.EVENT_PUBLISH)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Publishes canonical events to Kafka topics and Artemis addresses millwright.events.<type>")
                .process(this::serialize);
        // an edge hub has no Kafka: its events leave through Artemis (the edge link's outbox)
        if (properties.kafkaEnabled()) {
            publish.to(KAFKA_SEND);
        }
        publish.to(ARTEMIS_SEND)
                // live views (the dashboard) hear what was published, off the publishing thread's path
                .filter(EventPublishRoute::hasLiveEvents)
                    .wireTap(Endpoints.EVENT_FEED).onPrepare(EventPublishRoute::keepLiveEvents)
                .end();
    }

    /** Whether the batch holds an event other than telemetry: states, counts, alerts, gaps, ... */
    private static boolean hasLiveEvents(Exchange exchange) {
        for (Object event : exchange.getMessage().getBody(List.class)) {
            if (isLive(((OutgoingEvent) event).type())) {
                return true;
            }
        }
        return false;
    }

    /** The tapped copy carries the envelopes of those events only. */
    private static void keepLiveEvents(Exchange tapped) {
        List<EventEnvelope<?>> live = new ArrayList<>();
        for (Object event : tapped.getMessage().getBody(List.class)) {
            OutgoingEvent outgoing = (OutgoingEvent) event;
            if (isLive(outgoing.type())) {
                live.add(outgoing.envelope());
            }
        }
        tapped.getMessage().setBody(live);
    }

    private static boolean isLive(EventType type) {
        return type != EventType.SIGNAL && type != EventType.SIGNAL_ROLLUP;
    }

    /** Accepts envelopes, or their JSON text when a dead-lettered publication is resubmitted. */
    private void serialize(Exchange exchange) throws Exception {
        List<EventEnvelope> envelopes = FlowBatches.readBatch(exchange, objectMapper, EventEnvelope.class, ENVELOPES);
        FlowBatches.markResubmitPoint(exchange, Endpoints.EVENT_PUBLISH, envelopes);
        List<OutgoingEvent> outgoing = new ArrayList<>(envelopes.size());
        for (EventEnvelope<?> envelope : envelopes) {
            outgoing.add(new OutgoingEvent(EventType.ofCloudEventType(envelope.type()), envelope, writer.write(envelope)));
        }
        exchange.getMessage().setBody(outgoing);
    }
}
