package io.millwright.ot.sparkplug;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Sparkplug host's two routes, visible with their statistics like every flow:
 * {@code ot-sparkplug-ingest} (batches of readings of one message, through the edge filters
 * {@value Endpoints#EDGE_FILTER}, to {@value Endpoints#TELEMETRY_INTAKE},
 * where enrichment, production and publishing are the OPC UA adapter's) and
 * {@code ot-sparkplug-data-gap} (data-gap events to {@value Endpoints#EVENT_PUBLISH}); and
 * {@code ot-sparkplug-command} ({@value Endpoints#SPARKPLUG_COMMAND}: a command from a route, as a
 * {@link SparkplugCommand} or its JSON, to the edge node, audited as {@code route:<route id>}).
 */
public class SparkplugRoutes extends RouteBuilder {

    /** Where {@link SparkplugHost} hands the readings of a message; internal to this adapter. */
    static final String INGEST = "direct:ot-sparkplug-ingest";
    /** Where {@link SparkplugHost} hands a data-gap event; internal to this adapter. */
    static final String DATA_GAP = "direct:ot-sparkplug-data-gap";

    private final SparkplugCommands commands;
    private final ObjectMapper json;

    public SparkplugRoutes(SparkplugCommands commands, ObjectMapper json) {
        this.commands = commands;
        this.json = json;
    }

    @Override
    public void configure() {
        from(Endpoints.SPARKPLUG_COMMAND).routeId("ot-sparkplug-command")
        .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Sparkplug B commands from routes (NCMD/DCMD metric writes) to the edge nodes, audited")
                .process(this::sendCommand);
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

    private void sendCommand(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        SparkplugCommand command;
        try {
            command = body instanceof SparkplugCommand c ? c
                    : body instanceof String text ? json.readValue(text, SparkplugCommand.class)
                    : json.convertValue(body, SparkplugCommand.class);
        } catch (Exception e) {
            throw InvalidEventException.field("body", body, "is not a Sparkplug command {group, node, device, metrics: [{name, type, value}]}");
        }
        String caller = exchange.getFromRouteId();
        exchange.getMessage().setBody(commands.send(command, "route:" + caller));
    }
}
