package io.millwright.enrich;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.enrich.TelemetryEnricher.EnrichedBatch;
import io.millwright.model.Endpoints;
import io.millwright.model.EventIds;
import io.millwright.model.MessageHeaders;
import io.millwright.model.SourceReading;
import io.millwright.ops.ErrorPolicies;
import io.millwright.ops.FlowBatches;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The telemetry flow: a batch of source readings ({@value Endpoints#TELEMETRY_INTAKE}) ->
 * normalize (the connection's mapping, compiled once) -> enrich (asset registry, in memory) ->
 * publish the signal events ({@value Endpoints#EVENT_PUBLISH}) -> hand the enriched signals to
 * production ({@value Endpoints#PRODUCTION_INTERPRET}), which publishes what they mean.
 *
 * <p>It runs on the source adapter's worker thread, one exchange per batch, so that Camel's cost
 * per exchange is shared by the batch and the adapter's bounded hand-off sees back-pressure when
 * the flow falls behind. Signals are published before production interprets them: a failure in
 * production never keeps a signal from the MES.
 */
@Component
class TelemetryFlowRoute extends RouteBuilder {

    private static final TypeReference<List<SourceReading>> READINGS = new TypeReference<>() {};
    private static final String ENRICHED_BATCH = "MillwrightEnrichedBatch";
    private static final String READINGS_PROPERTY = "MillwrightSourceReadings";

    private final ObjectMapper objectMapper;
    private final ProducerTemplate producer;

    TelemetryFlowRoute(ObjectMapper objectMapper, ProducerTemplate producer) {
        this.objectMapper = objectMapper;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from(Endpoints.TELEMETRY_INTAKE)
                .routeId(TelemetryEnricher.ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Normalizes source readings to canonical signals, adds asset context, publishes them, hands them to production")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::readReadings)
                .bean(TelemetryEnricher.class, "enrich")
                .process(this::parkAndPublishSignals)
                .to(Endpoints.EVENT_PUBLISH)
                .process(this::handSignalsToProduction)
                .to(Endpoints.PRODUCTION_INTERPRET);
    }

    /** Stamps a batch correlation id and fixes where a resubmit re-enters; accepts a list, one reading, or its JSON. */
    private void readReadings(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        if (message.getHeader(MessageHeaders.CORRELATION_ID) == null) {
            message.setHeader(MessageHeaders.CORRELATION_ID, EventIds.next());
        }
        List<SourceReading> readings = FlowBatches.readBatch(exchange, objectMapper, SourceReading.class, READINGS);
        FlowBatches.markResubmitPoint(exchange, Endpoints.TELEMETRY_INTAKE, readings);
        exchange.setProperty(READINGS_PROPERTY, readings);
    }

    private void handSignalsToProduction(Exchange exchange) {
        EnrichedBatch batch = exchange.getProperty(ENRICHED_BATCH, EnrichedBatch.class);
        // the publish route declared itself the re-entry point; a failure from here on is this flow's again
        FlowBatches.markResubmitPoint(exchange, Endpoints.TELEMETRY_INTAKE, exchange.getProperty(READINGS_PROPERTY));
        exchange.getMessage().setBody(batch.signals());
    }

    private void parkAndPublishSignals(Exchange exchange) throws Exception {
        EnrichedBatch batch = exchange.getMessage().getMandatoryBody(EnrichedBatch.class);
        FlowBatches.park(producer, batch.parked());
        exchange.setProperty(ENRICHED_BATCH, batch);
        exchange.getMessage().setBody(batch.signalEvents());
    }
}
