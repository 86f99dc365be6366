package io.millwright.ot.sparkplug;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/sparkplug/{group}/{node}/commands} (NCMD) and
 * {@code POST /api/sparkplug/{group}/{node}/{device}/commands} (DCMD): metric writes to an edge node
 * or device, body {@code {"metrics": [{"name": "Output/Setpoint", "type": "Double", "value": 42.5}]}},
 * sent through the host of the settings or, with {@code ?connection=<name>}, through the provisioned
 * Sparkplug connection of that name (its own broker and session). 202 with the connection, the topic
 * and the metric names once published (QoS 0: the broker took it, the edge node reports the new value
 * in its next DATA); 400 naming the field; 404 naming the connection when none of that name runs; 503
 * without a broker session. Integrator or admin only (security.AuthorizationRules), audited.
 */
@RestController
@ConditionalOnExpression(SparkplugCommandConfiguration.WHEN)
@Tag(name = "Sparkplug commands", description = "NCMD/DCMD metric writes to Sparkplug B edge nodes and devices")
class SparkplugCommandController {

    /** The body: the metrics to write. */
    record Body(List<SparkplugCommand.MetricWrite> metrics) {}

    private static final String CONNECTION = "the Sparkplug connection to send through: a provisioned one (type sparkplug) by name;"
            + " absent = the host of the settings (sparkplug)";

    private final SparkplugCommands commands;

    SparkplugCommandController(SparkplugCommands commands) {
        this.commands = commands;
    }

    @PostMapping(path = "/api/sparkplug/{group}/{node}/commands", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Write metrics of an edge node (NCMD)")
    ResponseEntity<SparkplugCommands.Sent> nodeCommand(@PathVariable String group, @PathVariable String node,
            @Parameter(description = CONNECTION) @RequestParam(required = false) String connection, @RequestBody Body body,
            Principal user) {
        return ResponseEntity.accepted().body(commands.send(new SparkplugCommand(group, node, null, body.metrics(), connection),
                user.getName()));
    }

    @PostMapping(path = "/api/sparkplug/{group}/{node}/{device}/commands", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Write metrics of a device of an edge node (DCMD)")
    ResponseEntity<SparkplugCommands.Sent> deviceCommand(@PathVariable String group, @PathVariable String node,
            @PathVariable String device, @Parameter(description = CONNECTION) @RequestParam(required = false) String connection,
            @RequestBody Body body, Principal user) {
        return ResponseEntity.accepted().body(commands.send(new SparkplugCommand(group, node, device, body.metrics(), connection),
                user.getName()));
    }

    /** 404 as the hub's other problems: RFC 9457 members, {@code field} and {@code errors} naming the query parameter. */
    @ExceptionHandler(SparkplugCommands.UnknownConnectionException.class)
    ProblemDetail unknownConnection(RuntimeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setProperty("field", "connection");
        problem.setProperty("errors", List.of(Map.of("name", "connection", "in", "query", "reason", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(SparkplugCommands.NotConnectedException.class)
    ProblemDetail notConnected(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
