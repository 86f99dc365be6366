package io.millwright.enrich;

import io.millwright.model.DataGap;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MessageHeaders;
import io.millwright.ops.ErrorPolicies;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Data gaps of the source adapters ({@value Endpoints#DATA_GAP}): a {@link DataGap} whose asset
 * paths the adapter could not know gets them from the asset registry (the nodes named in
 * {@link MessageHeaders#NODE_IDS}, sorted, each once), and goes out as one durable
 * {@code io.millwright.data-gap.v1} event through {@value Endpoints#EVENT_PUBLISH}. The event's
 * {@code time} is the gap's start; it has no {@code subject}, as it may span several assets.
 */
@Component
class DataGapRoute extends RouteBuilder {

    static final String ROUTE_ID = "enrich-data-gap";

    private final AssetRegistry registry;

    DataGapRoute(AssetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() {
        from(Endpoints.DATA_GAP)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Adds the affected asset paths to a source adapter's data gap and publishes it")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::toEvent)
                .to(Endpoints.EVENT_PUBLISH);
    }

    private void toEvent(Exchange exchange) throws Exception {
        DataGap gap = exchange.getMessage().getMandatoryBody(DataGap.class);
        List<?> nodeIds = exchange.getMessage().getHeader(MessageHeaders.NODE_IDS, List.class);
        DataGap event = gap;
        if (gap.assetPaths().isEmpty() && nodeIds != null) {
            TreeSet<String> paths = new TreeSet<>();
            for (Object nodeId : nodeIds) {
                registry.find(gap.connection(), String.valueOf(nodeId)).map(AssetTag::assetPath)
                        .filter(Objects::nonNull).ifPresent(paths::add);
            }
            event = new DataGap(gap.source(), gap.connection(), gap.start(), gap.end(), List.copyOf(paths), gap.reason());
        }
        String correlationId = exchange.getMessage().getHeader(MessageHeaders.CORRELATION_ID, String.class);
        exchange.getMessage().setBody(
                EventEnvelope.of(EventType.DATA_GAP, event.source(), null, event.start(), correlationId, event));
    }
}
