package io.millwright.enrich;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.mes.MesEventPublishRoute;
import io.millwright.ops.ErrorPolicies;
import io.millwright.tracking.DeadLetterRoute;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The telemetry flow: an OPC UA value -> normalize (JSONata mapping) -> enrich (asset registry,
 * order context) -> dispatch by role -> publish the canonical events.
 *
 * <p>The OT adapter's routes hand values to {@value #INTAKE}; a bounded SEDA queue with one
 * consumer takes them off the OPC UA notification thread and keeps their order (states and
 * counters are sequences). When the queue is full the adapter waits rather than dropping.
 */
@Component
public class SignalFlowRoute extends RouteBuilder {

    /** Where OT adapters send a value: a Map or its JSON (see mappings/transform/examples). */
    public static final String INTAKE = "direct:ot-opcua-signal";
    static final String QUEUE = "seda:enrich-signal-asset-context?size={{millwright.enrich.queue-size:10000}}&blockWhenFull=true";
    static final String ENRICHED_PROPERTY = "MillwrightEnrichedSignal";

    private final ObjectMapper objectMapper;

    public SignalFlowRoute(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public void configure() {
        from(INTAKE)
                .routeId("ot-opcua-signal-intake")
                .routeDescription("Queues OPC UA values for the enrich flow, off the OPC UA notification thread")
                .to(QUEUE);

        from(QUEUE)
                .routeId("enrich-signal-asset-context")
                .routeDescription("Normalizes OPC UA values to canonical signals, adds asset and order context, publishes events")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::prepare)
                .to("jsonata:file:{{millwright.mappings-dir}}/transform/opcua-to-signal.jsonata")
                .bean(SignalEnricher.class, "enrich")
                .bean(SignalDispatcher.class, "dispatch(${body}, ${header." + DeadLetterRoute.CORRELATION_HEADER + "})")
                .split(body())
                    .to(MesEventPublishRoute.ENDPOINT)
                .end();
    }

    /** Stamps a correlation id, fixes where a resubmit re-enters, and accepts a resubmitted JSON text. */
    private void prepare(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        if (message.getHeader(DeadLetterRoute.CORRELATION_HEADER) == null) {
            message.setHeader(DeadLetterRoute.CORRELATION_HEADER, UUID.randomUUID().toString());
        }
        exchange.setProperty(DeadLetterRoute.RESUBMIT_ENDPOINT_PROPERTY, INTAKE);
        if (message.getBody() instanceof String json) {
            message.setBody(objectMapper.readValue(json, Map.class));
        } else if (message.getBody() instanceof byte[] json) {
            message.setBody(objectMapper.readValue(json, Map.class));
        }
    }
}
