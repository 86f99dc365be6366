package io.millwright.ot.sparkplug;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.InvalidEventException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code ot-sparkplug-command} ({@value Endpoints#SPARKPLUG_COMMAND}): a command from a route, as a
 * {@link SparkplugCommand} or its JSON ({@code {connection, group, node, device, metrics}}), to the
 * edge node through the Sparkplug connection it names (the host of the settings when it names none),
 * audited as {@code route:<route id>}. Present with the host of the settings or with the provisioning
 * API ({@link SparkplugCommandConfiguration}).
 */
public class SparkplugCommandRoutes extends RouteBuilder {

    private final SparkplugCommands commands;
    private final ObjectMapper json;

    public SparkplugCommandRoutes(SparkplugCommands commands, ObjectMapper json) {
        this.commands = commands;
        this.json = json;
    }

    @Override
    public void configure() {
        from(Endpoints.SPARKPLUG_COMMAND).routeId("ot-sparkplug-command")
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("Sparkplug B commands from routes (NCMD/DCMD metric writes) to the edge nodes, through the"
                        + " Sparkplug connection each names, audited")
                .process(this::sendCommand);
    }

    private void sendCommand(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        SparkplugCommand command;
        try {
            command = body instanceof SparkplugCommand c ? c
                    : body instanceof String text ? json.readValue(text, SparkplugCommand.class)
                    : json.convertValue(body, SparkplugCommand.class);
        } catch (Exception e) {
            throw InvalidEventException.field("body", body,
                    "is not a Sparkplug command {connection, group, node, device, metrics: [{name, type, value}]}");
        }
        String caller = exchange.getFromRouteId();
        exchange.getMessage().setBody(commands.send(command, "route:" + caller));
    }
}
