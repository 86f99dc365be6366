package io.millwright.provisioning;

import io.millwright.model.InvalidEventException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code /api/connections}: OT connections at runtime. The body is a connection file's document
 * ({@code adapters/opcua/<name>.yaml}, docs/opcua-adapter.md) plus {@code name} and an optional
 * {@code type} ({@code opcua}), as JSON or YAML. 201/200/204 on success; 400 problem+json naming the
 * key and the reason, as the file reader says it; 404 unknown name; 409 a file of that name exists
 * (the file wins) or another definition by that name. Reads need viewer, changes integrator or admin
 * (security.AuthorizationRules); every change is in the audit log. Present with the OPC UA adapter
 * ({@code millwright.ot.enabled}, default true).
 */
@RestController
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
@RequestMapping("/api/connections")
@Tag(name = "Connections", description = "Provision OT connections (OPC UA) at runtime, with live status")
class ConnectionController {

    private static final String YAML = "application/yaml";

    private final ConnectionProvisioning provisioning;

    ConnectionController(ConnectionProvisioning provisioning) {
        this.provisioning = provisioning;
    }

    @GetMapping
    @Operation(summary = "Every connection, from files and from the API, with its live status")
    List<ConnectionProvisioning.View> list() {
        return provisioning.list();
    }

    @GetMapping("/{name}")
    @Operation(summary = "One connection with its definition and live status (connected, last value time, values/s, errors)")
    ConnectionProvisioning.View get(@PathVariable String name) {
        return provisioning.get(name);
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @Operation(summary = "Create a connection and start it; the same definition again answers 200")
    ResponseEntity<ConnectionProvisioning.View> create(
            @Parameter(description = "a connection file's document plus name (and type: opcua)") @RequestBody String body,
            Principal user) {
        Map<String, Object> definition = parse(body);
        ConnectionProvisioning.Outcome outcome = provisioning.create(definition, user.getName());
        ConnectionProvisioning.View view = provisioning.get(String.valueOf(definition.get(ConnectionProvisioning.NAME)));
        return outcome == ConnectionProvisioning.Outcome.CREATED
                ? ResponseEntity.created(URI.create("/api/connections/" + view.name())).body(view)
                : ResponseEntity.ok(view);
    }

    @PutMapping(path = "/{name}", consumes = {MediaType.APPLICATION_JSON_VALUE, YAML})
    @Operation(summary = "Replace a connection's definition; it reconnects with it")
    ConnectionProvisioning.View replace(@PathVariable String name, @RequestBody String body, Principal user) {
        provisioning.replace(name, parse(body), user.getName());
        return provisioning.get(name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Stop a connection and delete it")
    ResponseEntity<Void> delete(@PathVariable String name, Principal user) {
        provisioning.delete(name, user.getName());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{name}/enable")
    @Operation(summary = "Start a disabled connection")
    ConnectionProvisioning.View enable(@PathVariable String name, Principal user) {
        provisioning.enable(name, true, user.getName());
        return provisioning.get(name);
    }

    @PostMapping("/{name}/disable")
    @Operation(summary = "Stop a connection and keep its definition")
    ConnectionProvisioning.View disable(@PathVariable String name, Principal user) {
        provisioning.enable(name, false, user.getName());
        return provisioning.get(name);
    }

    /** JSON or YAML (JSON is YAML), read as a file is read: safe types only. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String body) {
        Object document;
        try (Reader reader = new StringReader(body == null ? "" : body)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (YAMLException | java.io.IOException e) {
            throw InvalidEventException.field("body", null, "is neither JSON nor YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw InvalidEventException.field("body", null,
                    "must be an object with name, endpoint and nodes, e.g. {\"name\": \"line-9\", \"endpoint\": \"opc.tcp://10.0.0.5:4840\", \"nodes\": [\"ns=2;s=Speed\"]}");
        }
        Map<String, Object> definition = new LinkedHashMap<>();
        map.forEach((k, v) -> definition.put(String.valueOf(k), v));
        return definition;
    }

    @ExceptionHandler(ConnectionProvisioning.NotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ConnectionProvisioning.ConflictException.class)
    ResponseEntity<Map<String, Object>> conflict(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    /** The RFC 9457 members the hub's other errors carry. */
    private static ResponseEntity<Map<String, Object>> problem(HttpStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
