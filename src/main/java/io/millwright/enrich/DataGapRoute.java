package io.millwright.enrich;

import io.millwright.model.DataGap;
import io.millwright.model.DataGapRecorder;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Data gaps of the source adapters ({@value Endpoints#DATA_GAP}): a {@link DataGap} whose asset
 * paths the adapter could not know gets them from the asset registry (the nodes named in
 * {@link MessageHeaders#NODE_IDS}, sorted, each once), and goes out as one durable
 * {@code io.millwright.data-gap.v1} event through {@value Endpoints#EVENT_PUBLISH}. The event's
 * {@code time} is the gap's start; it has no {@code subject}, as it may span several assets. A
 * data-gap event an adapter built itself (Sparkplug B: a node or device died) goes out as given.
 *
 * <p>Every data gap passes here, once: after the event is published, each {@link DataGapRecorder}
 * (the outcomes' predictability KPIs) keeps it, as the route's last step. A gap whose publication
 * failed is dead-lettered before that step, so a resubmitted gap is counted once.
 */
@Component
class DataGapRoute extends RouteBuilder {

    static final String ROUTE_ID = "enrich-data-gap";

    /** Exchange property: the event as published (the publish route may change the body). */
    private static final String PUBLISHED = "millwrightDataGapEvent";

    private final AssetRegistry registry;
    private final List<DataGapRecorder> recorders;

    @Autowired
    DataGapRoute(AssetRegistry registry, ObjectProvider<DataGapRecorder> recorders) {
        this(registry, recorders.orderedStream().toList());
    }

    DataGapRoute(AssetRegistry registry, List<DataGapRecorder> recorders) {
        this.registry = registry;
        this.recorders = List.copyOf(recorders);
    }

    @Override
    public void configure() {
        from(Endpoints.DATA_GAP)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Adds the affected asset paths to a source adapter's data gap and publishes it")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::toEvent)
                .to(Endpoints.EVENT_PUBLISH)
                .process(this::record);
    }

    private void record(Exchange exchange) {
        EventEnvelope<?> event = exchange.getProperty(PUBLISHED, EventEnvelope.class);
        for (DataGapRecorder recorder : recorders) {
            recorder.record(event.id(), (DataGap) event.data());
        }
    }

    private void toEvent(Exchange exchange) throws Exception {
        if (exchange.getMessage().getBody() instanceof EventEnvelope<?> given && given.data() instanceof DataGap) {
            exchange.setProperty(PUBLISHED, given);
            return;
        }
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
        EventEnvelope<DataGap> envelope = EventEnvelope.of(EventType.DATA_GAP, event.source(), null, event.start(), correlationId, event);
        exchange.setProperty(PUBLISHED, envelope);
        exchange.getMessage().setBody(envelope);
    }
}
