package io.millwright.provisioning;

import io.millwright.model.InvalidEventException;
import io.millwright.ot.InvalidConnectionFileException;
import io.millwright.ot.OpcUaConnectionFiles;
import io.millwright.ot.OpcUaConnectionReloader;
import io.millwright.ot.opcua.OpcUaConnection;
import io.millwright.ot.opcua.OpcUaConnectionStatus;
import io.millwright.ot.mqtt.MqttSources;
import io.millwright.ot.sparkplug.SparkplugConnections;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections provisioned through the API: each one validated by the connection-file reader
 * (so a bad definition fails with the same key and reason as a bad file), stored in
 * {@code ot_connection}, and run through the OPC UA adapter's reloader (a route per enabled
 * connection). A connection file of the same name wins: the API refuses to create, change or
 * delete that name (409 naming the file), and a file that appears later replaces the stored
 * definition in the running hub (the stored row stays, unused, until it is deleted).
 *
 * <p>{@code type: mqtt} provisions a plain MQTT JSON source ({@link MqttSources}: the same keys
 * and routes as {@code millwright.mqtt.sources.<name>}); a source of that name in the settings wins
 * like a file (409). {@code type: sparkplug} provisions a Sparkplug B host application of its own
 * ({@link SparkplugConnections}: its own MQTT session, host id and routes); the host of the settings
 * ({@code millwright.sparkplug.*}) is listed as {@code sparkplug} and wins over the API like a file (409).
 */
public class ConnectionProvisioning {

    private static final Logger log = LoggerFactory.getLogger(ConnectionProvisioning.class);

    static final String OPCUA = "opcua";
    static final String MQTT = "mqtt";
    static final String SPARKPLUG = "sparkplug";
    /** API-only keys of a definition; the rest is the connection file's document. */
    static final String NAME = "name";
    static final String TYPE = "type";

    /** What {@link #create} did. */
    enum Outcome { CREATED, UNCHANGED }

    /** A connection as the API shows it: where it comes from, its definition and its live status. */
    record View(String name, String type, String origin, String file, boolean enabled, Map<String, Object> definition,
            Instant updatedAt, String updatedBy, Status status) {}

    /**
     * Live status: {@code state} is {@code connected}, {@code connecting} (no session yet or lost),
     * {@code disabled} or {@code rejected} (the stored definition no longer validates, see {@code lastError}).
     */
    record Status(String state, boolean connected, Instant lastValueTime, double valuesPerSecond, long valuesReceived,
            String lastError, int failedItems, int reconnects, long droppedValues, long errors) {}

    /** A name that is not there. */
    static class NotFoundException extends RuntimeException {
        NotFoundException(String message) {
            super(message);
        }
    }

    /** A request that contradicts what is there (a file of that name, another definition by that name). */
    static class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    private final ConnectionStore store;
    private final OpcUaConnectionFiles files;
    private final OpcUaConnectionReloader reloader;
    private final OpcUaSubscriptionComponent component;
    private final MqttSources mqtt;
    private final SparkplugConnections sparkplug;
    /** Stored definitions that did not validate at start-up, with the reason. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();

    ConnectionProvisioning(ConnectionStore store, OpcUaConnectionFiles files, OpcUaConnectionReloader reloader,
            OpcUaSubscriptionComponent component, MqttSources mqtt, SparkplugConnections sparkplug) {
        this.mqtt = mqtt;
        this.sparkplug = sparkplug;
        this.store = store;
        this.files = files;
        this.reloader = reloader;
        this.component = component;
    }

    /** At start-up: runs every stored connection that no file shadows; one that no longer validates is reported, not run. */
    synchronized void runStored() {
        for (ConnectionStore.Stored stored : store.list()) {
            Optional<String> winner = winner(stored.name());
            if (winner.isPresent()) {
                log.warn("Provisioned connection not run, a file or setting of the same name wins connection={} by={}", stored.name(),
                        winner.get());
                continue;
            }
            try {
                run(stored.name(), stored.type(), stored.definition());
                rejected.remove(stored.name());
                log.info("Provisioned connection started connection={} type={} updatedBy={}", stored.name(), stored.type(),
                        stored.updatedBy());
            } catch (InvalidEventException | IllegalStateException e) {
                rejected.put(stored.name(), e.getMessage());
                log.error("Provisioned connection not started connection={} reason={}", stored.name(), e.getMessage());
            }
        }
    }

    /** Every connection: those from files and those from the API, by name. */
    List<View> list() {
        Map<String, View> views = new TreeMap<>();
        for (OpcUaConnection connection : component.connections()) {
            reloader.fileOf(connection.id()).ifPresent(file -> views.put(connection.id(), fileView(connection, file)));
        }
        for (String id : mqtt.configuredIds()) {
            views.putIfAbsent(id, settingView(id));
        }
        if (sparkplug.configured(SPARKPLUG)) {
            views.putIfAbsent(SPARKPLUG, sparkplugSettingView());
        }
        for (ConnectionStore.Stored stored : store.list()) {
            views.putIfAbsent(stored.name(), view(stored));
        }
        return new ArrayList<>(views.values());
    }

    View get(String name) {
        Optional<Path> file = reloader.fileOf(name);
        if (file.isPresent()) {
            OpcUaConnection running = component.connection(name);
            return fileView(running, file.get(), name);
        }
        if (mqtt.configured(name)) {
            return settingView(name);
        }
        if (sparkplug.configured(name)) {
            return sparkplugSettingView();
        }
        return view(stored(name));
    }

    /** Idempotent by name: the same definition again is {@link Outcome#UNCHANGED}, another one a conflict. */
    synchronized Outcome create(Map<String, Object> body, String user) {
        String name = name(body);
        String type = type(body);
        Map<String, Object> definition = definition(body);
        refuseFile(name, "created");
        Optional<ConnectionStore.Stored> existing = store.find(name);
        if (existing.isPresent()) {
            if (existing.get().definition().equals(definition) && existing.get().type().equals(type)) {
                return Outcome.UNCHANGED;
            }
            throw new ConflictException("connection '" + name + "' exists with another definition; change it with PUT /api/connections/"
                    + name);
        }
        boolean enabled = run(name, type, definition);
        store.insert(name, type, definition, user);
        rejected.remove(name);
        log.info("Connection provisioned connection={} type={} enabled={} user={}", name, type, enabled, user);
        return Outcome.CREATED;
    }

    /** Replaces the definition of {@code name}; the connection reconnects with it (or stops when disabled). */
    synchronized void replace(String name, Map<String, Object> body, String user) {
        if (body.containsKey(NAME) && !Objects.equals(String.valueOf(body.get(NAME)), name)) {
            throw InvalidEventException.field(NAME, body.get(NAME), "must be the name in the path, '" + name + "'");
        }
        refuseFile(name, "changed");
        ConnectionStore.Stored existing = stored(name);
        String type = body.containsKey(TYPE) ? type(body) : existing.type();
        if (!type.equals(existing.type())) {
            throw InvalidEventException.field(TYPE, type, "must stay '" + existing.type() + "'; delete the connection and create it anew");
        }
        Map<String, Object> definition = definition(body);
        run(name, type, definition);
        store.update(name, type, definition, user);
        rejected.remove(name);
        log.info("Connection changed connection={} user={}", name, user);
    }

    /** Sets {@code enabled} in the stored definition: the route starts or stops. */
    synchronized void enable(String name, boolean enabled, String user) {
        refuseFile(name, enabled ? "enabled" : "disabled");
        ConnectionStore.Stored stored = stored(name);
        Map<String, Object> definition = new LinkedHashMap<>(stored.definition());
        definition.put("enabled", enabled);
        run(name, stored.type(), definition);
        store.update(name, stored.type(), definition, user);
        rejected.remove(name);
        log.info("Connection {} connection={} user={}", enabled ? "enabled" : "disabled", name, user);
    }

    /** Stops the connection and forgets it. */
    synchronized void delete(String name, String user) {
        refuseFile(name, "deleted");
        String type = stored(name).type();
        if (MQTT.equals(type)) {
            mqtt.remove(name);
        } else if (SPARKPLUG.equals(type)) {
            sparkplug.remove(name);
        } else {
            reloader.remove(name);
        }
        store.delete(name);
        rejected.remove(name);
        log.info("Connection deleted connection={} user={}", name, user);
    }

    private ConnectionStore.Stored stored(String name) {
        return store.find(name).orElseThrow(() -> new NotFoundException("no connection '" + name + "'; GET /api/connections lists them"));
    }

    /** Validates a definition of its type and runs it (or stops it when disabled); whether it runs. */
    private boolean run(String name, String type, Map<String, Object> definition) {
        if (MQTT.equals(type)) {
            MqttSources.Definition source = mqtt.validate(name, definition);
            mqtt.apply(name, source);
            return source.enabled();
        }
        if (SPARKPLUG.equals(type)) {
            SparkplugConnections.Definition host = sparkplug.validate(name, definition);
            sparkplug.apply(name, host);
            return host.enabled();
        }
        OpcUaConnection connection = validate(name, definition);
        reloader.apply(connection);
        return connection.enabled();
    }

    /** A file or a setting of this name, which wins over the API. */
    private Optional<String> winner(String name) {
        Optional<Path> file = reloader.fileOf(name);
        if (file.isPresent()) {
            return Optional.of("the file " + file.get());
        }
        if (sparkplug.configured(name)) {
            return Optional.of("the settings millwright.sparkplug.*");
        }
        return mqtt.configured(name) ? Optional.of("the setting millwright.mqtt.sources." + name) : Optional.empty();
    }

    private void refuseFile(String name, String what) {
        if (sparkplug.configured(name)) {
            throw new ConflictException("connection '" + name + "' is the Sparkplug host of the settings millwright.sparkplug.*,"
                    + " which wins over the API; it cannot be " + what + " here: change the hub's settings or choose another name");
        }
        if (mqtt.configured(name)) {
            throw new ConflictException("connection '" + name + "' is defined by the setting millwright.mqtt.sources." + name
                    + ", which wins over the API; it cannot be " + what + " here: change the hub's settings");
        }
        reloader.fileOf(name).ifPresent(file -> {
            throw new ConflictException("connection '" + name + "' is defined by the file " + file
                    + ", which wins over the API; it cannot be " + what + " here: edit or delete the file");
        });
    }

    /** The connection-file reader's verdict, its key and reason turned into the hub's bad-input exception (400). */
    private OpcUaConnection validate(String name, Map<String, Object> definition) {
        try {
            return files.read(name, Path.of("api", "connections", name), definition);
        } catch (InvalidConnectionFileException e) {
            String key = e.key() == null ? "body" : e.key();
            throw InvalidEventException.field(key, definition.get(key), reason(e));
        }
    }

    /** The reason without the origin prefix ({@code api/connections/x: 'key' }). */
    private static String reason(InvalidConnectionFileException e) {
        String message = e.getMessage();
        String prefix = e.file() + ": " + (e.key() == null ? "" : "'" + e.key() + "' ");
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String name(Map<String, Object> body) {
        Object name = body.get(NAME);
        if (name == null || String.valueOf(name).isBlank()) {
            throw InvalidEventException.field(NAME, name, "is required: the connection id in kebab-case, e.g. line2-press");
        }
        return String.valueOf(name);
    }

    private static String type(Map<String, Object> body) {
        String type = body.get(TYPE) == null ? OPCUA : String.valueOf(body.get(TYPE));
        return switch (type) {
            case OPCUA, MQTT, SPARKPLUG -> type;
            default -> throw InvalidEventException.field(TYPE, type, "must be opcua (the default), mqtt or sparkplug");
        };
    }

    /**
     * The connection file's document: the body without {@code name} and {@code type}. Placeholders
     * are refused here (a file may use them, an API caller may not): {@code ${...}} would read the
     * hub's environment, and an error message would echo the resolved value. The one exception is
     * {@code password}, which must be a reference to an environment variable.
     */
    private static Map<String, Object> definition(Map<String, Object> body) {
        Map<String, Object> definition = new LinkedHashMap<>(body);
        definition.remove(NAME);
        definition.remove(TYPE);
        definition.forEach((key, value) -> {
            if (!"password".equals(key)) {
                refusePlaceholders(key, value);
            }
        });
        return definition;
    }

    private static void refusePlaceholders(String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> refusePlaceholders(key + "." + k, v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                refusePlaceholders(key + "[" + i + "]", list.get(i));
            }
        } else if (value != null && String.valueOf(value).contains("${")) {
            throw InvalidEventException.field(key, null,
                    "placeholders (${...}) are not resolved in a definition sent to the API; write the value itself");
        }
    }

    private View view(ConnectionStore.Stored stored) {
        boolean enabled = !Boolean.FALSE.equals(stored.definition().get("enabled"))
                && !"false".equals(String.valueOf(stored.definition().get("enabled")));
        return new View(stored.name(), stored.type(), "api", null, enabled, stored.definition(), stored.updatedAt(),
                stored.updatedBy(), switch (stored.type()) {
                    case MQTT -> mqttStatus(stored.name(), enabled);
                    case SPARKPLUG -> sparkplugStatus(stored.name(), enabled);
                    default -> status(stored.name(), enabled);
                });
    }

    private View settingView(String id) {
        return new View(id, MQTT, "setting", "millwright.mqtt.sources." + id, true, null, null, null, mqttStatus(id, true));
    }

    private View sparkplugSettingView() {
        return new View(SPARKPLUG, SPARKPLUG, "setting", "millwright.sparkplug.*", true, null, null, null, sparkplugStatus(SPARKPLUG, true));
    }

    private Status sparkplugStatus(String name, boolean enabled) {
        String reason = rejected.get(name);
        if (reason != null) {
            return new Status("rejected", false, null, 0, 0, reason, 0, 0, 0, 0);
        }
        if (!enabled) {
            return new Status("disabled", false, null, 0, 0, null, 0, 0, 0, 0);
        }
        SparkplugConnections.Status status = sparkplug.status(name);
        return new Status(status.state(), status.connected(), status.lastValueTime(), status.valuesPerSecond(), status.valuesReceived(),
                status.lastError(), 0, 0, 0, status.errors());
    }

    private Status mqttStatus(String name, boolean enabled) {
        String reason = rejected.get(name);
        if (reason != null) {
            return new Status("rejected", false, null, 0, 0, reason, 0, 0, 0, 0);
        }
        MqttSources.Status status = mqtt.status(name);
        if (!enabled) {
            return new Status("disabled", false, null, 0, 0, null, 0, 0, 0, 0);
        }
        return new Status(status.state(), status.connected(), status.lastValueTime(), status.valuesPerSecond(), status.valuesReceived(),
                status.lastError(), 0, 0, 0, status.errors());
    }

    private View fileView(OpcUaConnection connection, Path file) {
        return fileView(connection, file, connection.id());
    }

    private View fileView(OpcUaConnection running, Path file, String name) {
        boolean enabled = running != null && running.enabled();
        return new View(name, OPCUA, "file", file.toString(), enabled, null, null, null, status(name, enabled));
    }

    private Status status(String name, boolean enabled) {
        String reason = rejected.get(name);
        if (reason != null) {
            return new Status("rejected", false, null, 0, 0, reason, 0, 0, 0, 0);
        }
        OpcUaConnectionStatus status = component.statuses().get(name);
        if (!enabled || status == null) {
            return new Status("disabled", false, null, 0, 0, null, 0, 0, 0, 0);
        }
        long last = status.lastValueMillis();
        return new Status(status.isConnected() ? "connected" : "connecting", status.isConnected(),
                last == 0 ? null : Instant.ofEpochMilli(last), status.valuesPerSecond(), status.received(), status.lastError(),
                status.failed(), status.reconnects(), status.dropped(), 0);
    }
}
