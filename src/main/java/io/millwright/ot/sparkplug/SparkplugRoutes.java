package io.millwright.ot.sparkplug;

import io.millwright.model.Endpoints;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Sparkplug host's two routes (of the settings' host; a provisioned connection has its own, see
 * {@link SparkplugConnections}), visible with their statistics like every flow:
 * {@code ot-sparkplug-ingest} (batches of readings of one message, through the edge filters
 * {@value Endpoints#EDGE_FILTER}, to {@value Endpoints#TELEMETRY_INTAKE},
 * where enrichment, production and publishing are the OPC UA adapter's) and
 * {@code ot-sparkplug-data-gap} (data-gap events to {@value Endpoints#EVENT_PUBLISH}). Commands
 * from routes are {@link SparkplugCommandRoutes}'.
 */
public class SparkplugRoutes extends RouteBuilder {

    /** Where {@link SparkplugHost} hands the readings of a message; internal to this adapter. */
    static final String INGEST = "direct:ot-sparkplug-ingest";
    /** Where {@link SparkplugHost} hands a data-gap event; internal to this adapter. */
    static final String DATA_GAP = "direct:ot-sparkplug-data-gap";

    @Override
    public void configure() {
        from(INGEST).routeId("ot-sparkplug-ingest")
        .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Sparkplug B metrics (NBIRTH/DBIRTH/NDATA/DDATA, BAD on death) through the edge filters to "
                        + Endpoints.TELEMETRY_INTAKE)
                .to(Endpoints.EDGE_FILTER);
        from(DATA_GAP).routeId("ot-sparkplug-data-gap")
        .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Sparkplug B data gaps (a node or device died and was born again) to " + Endpoints.DATA_GAP)
                .to(Endpoints.DATA_GAP);
    }
}
