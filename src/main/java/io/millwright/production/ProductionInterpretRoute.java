package io.millwright.production;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.enrich.EnrichedSignal;
import io.millwright.model.Endpoints;
import io.millwright.ops.ErrorPolicies;
import io.millwright.ops.FlowBatches;
import io.millwright.production.ProductionInterpreter.Interpretation;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The production capability's route: enriched signals in ({@value Endpoints#PRODUCTION_INTERPRET}),
 * machine-state and production-count events out to {@value Endpoints#EVENT_PUBLISH}; readings it
 * cannot use are parked one by one ({@value Endpoints#PARK}). Runs under its own error policy
 * ({@value ErrorPolicies#PRODUCTION_ERRORS}), apart from the telemetry flow that calls it, so a
 * failure here never stops signals reaching the MES.
 */
@Component
class ProductionInterpretRoute extends RouteBuilder {

    private static final TypeReference<List<EnrichedSignal>> SIGNALS = new TypeReference<>() {};

    private final ObjectMapper objectMapper;
    private final ProducerTemplate producer;

    ProductionInterpretRoute(ObjectMapper objectMapper, ProducerTemplate producer) {
        this.objectMapper = objectMapper;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from(Endpoints.PRODUCTION_INTERPRET)
                .routeId(ProductionInterpreter.ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Turns enriched signals into machine-state and production-count events; books counts in the ledger")
                .routeConfigurationId(ErrorPolicies.PRODUCTION_ERRORS)
                .process(this::readSignals)
                .bean(ProductionInterpreter.class, "interpret")
                .process(this::parkAndKeepEvents)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                    .to(Endpoints.EVENT_PUBLISH)
                .end();
    }

    /** A list from the telemetry flow, one signal, or the JSON of either (a resubmitted dead letter). */
    private void readSignals(Exchange exchange) throws Exception {
        List<EnrichedSignal> signals = FlowBatches.readBatch(exchange, objectMapper, EnrichedSignal.class, SIGNALS);
        FlowBatches.markResubmitPoint(exchange, Endpoints.PRODUCTION_INTERPRET, signals);
    }

    private void parkAndKeepEvents(Exchange exchange) throws Exception {
        Interpretation interpretation = exchange.getMessage().getMandatoryBody(Interpretation.class);
        FlowBatches.park(producer, interpretation.parked());
        exchange.getMessage().setBody(interpretation.events());
    }
}
