package io.millwright.ot;

import io.millwright.model.Endpoints;
import io.millwright.ops.RunOnceRoutes;
import io.millwright.ot.opcua.OpcUaConnection;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * One route per enabled OPC UA connection file, {@code ot-<connection>-opcua-ingest}: from
 * {@code opcua-subscription:<connection>} (batches of {@code SourceReading}) to
 * {@link Endpoints#TELEMETRY_INTAKE}. The route runs on the connection's worker threads (each asset
 * on one of them); Milo's notification threads only fill the bounded hand-off before it.
 */
@Component
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
public class OpcUaIngestRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(OpcUaIngestRoutes.class);

    private final OpcUaSubscriptionComponent component;

    public OpcUaIngestRoutes(OpcUaSubscriptionComponent component) {
        this.component = component;
    }

    @Override
    public void configure() {
        for (OpcUaConnection connection : component.connections()) {
            route(this, connection);
        }
    }

    /** The ingest route of one connection, added to {@code builder} (at start-up, or when a new file appears). */
    static void route(RouteBuilder builder, OpcUaConnection connection) {
        builder.from(connection.endpointUri())
                .routeId(routeId(connection))
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                // one subscription per server across hub instances (millwright.cluster, README "Scale out")
                .group(RunOnceRoutes.GROUP)
                .routeDescription("OPC UA " + connection.id() + " (" + connection.nodes().size() + " nodes"
                        + (connection.browse() == null ? "" : ", browse " + connection.browse().root()) + ") to "
                        + Endpoints.TELEMETRY_INTAKE)
                .to(Endpoints.TELEMETRY_INTAKE);
        log.info("OPC UA ingest route created connection={} endpoint={} nodes={} groups={} browse={}",
                connection.id(), connection.endpoint(), connection.nodes().size(), connection.groups().size(),
                connection.browse() == null ? "off" : connection.browse().root());
    }

    /** {@code ot-<connection>-opcua-ingest}. */
    public static String routeId(OpcUaConnection connection) {
        return routeId(connection.id());
    }

    /** {@code ot-<connection>-opcua-ingest}, from the connection's id. */
    public static String routeId(String connectionId) {
        return "ot-" + connectionId + "-opcua-ingest";
    }
}
