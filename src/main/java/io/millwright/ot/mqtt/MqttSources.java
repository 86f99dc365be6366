package io.millwright.ot.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.InvalidEventException;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.ot.ConnectionDefinitions;
import io.millwright.ot.ValuesRate;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.PahoConsumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The plain MQTT JSON sources at runtime: those of {@code millwright.mqtt.sources.*} (started with
 * the hub by {@link MqttIngestRoutes}) and those provisioned through the API, which this class
 * checks, starts, replaces and stops (the same routes, {@code ot-<id>-mqtt-<n>} and
 * {@code ot-<id>-mqtt-map}). Live status of each: connected (every topic route's MQTT client),
 * last value time, values/s, errors.
 *
 * <p>A provisioned definition is a source's settings in kebab-case ({@code broker-url},
 * {@code version}, {@code topics}, {@code mapping}, {@code qos}, {@code client-id},
 * {@code username}, {@code password}) plus {@code enabled}; its password must be a reference to an
 * environment variable ({@code ${MILLWRIGHT_MQTT_LINE4_PASSWORD}}), resolved when it starts.
 */
@Component
public class MqttSources {

    private static final Logger log = LoggerFactory.getLogger(MqttSources.class);

    /** What a source id may hold. */
    static final String ID_PATTERN = "[A-Za-z0-9._-]+";
    private static final Set<String> KEYS = Set.of("broker-url", "version", "topics", "mapping", "qos", "client-id", "username",
            "password", "enabled");

    /** A source's live status; {@code state} is {@code connected}, {@code connecting} or {@code disabled}. */
    public record Status(String state, boolean connected, Instant lastValueTime, double valuesPerSecond, long valuesReceived,
            String lastError, long errors) {}

    /** A provisioned source, checked: its settings (password resolved) and whether it runs. */
    public record Definition(MqttSourcesProperties.Source source, boolean enabled) {}

    private final CamelContext camel;
    private final MqttSourcesProperties settings;
    private final HubDirectoriesProperties directories;
    private final ObjectMapper json;
    private final Environment environment;
    private final Validator validator;
    private final ObjectProvider<MqttIngestRoutes> routes;
    private final Map<String, Stats> stats = new ConcurrentHashMap<>();
    /** Provisioned sources that run, with their topic count (their route ids). */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    public MqttSources(CamelContext camel, MqttSourcesProperties settings, HubDirectoriesProperties directories, ObjectMapper json,
            Environment environment, Validator validator, ObjectProvider<MqttIngestRoutes> routes) {
        this.camel = camel;
        this.settings = settings;
        this.directories = directories;
        this.json = json;
        this.environment = environment;
        this.validator = validator;
        this.routes = routes;
    }

    /** Whether {@code id} is a source of the settings ({@code millwright.mqtt.sources.<id>}), which wins over the API. */
    public boolean configured(String id) {
        return settings.sources().containsKey(id);
    }

    /** The ids of the sources of the settings. */
    public Set<String> configuredIds() {
        return settings.sources().keySet();
    }

    /**
     * Checks a definition sent to the API as the settings are checked; each error names the key
     * ({@code broker-url}, {@code topics[0]}, ...) and the reason.
     */
    public Definition validate(String id, Map<String, Object> definition) {
        if (!id.matches(ID_PATTERN)) {
            throw InvalidEventException.field("name", id, "an MQTT source id may hold only letters, digits, '.', '_' and '-'");
        }
        for (String key : definition.keySet()) {
            if (!KEYS.contains(key)) {
                throw InvalidEventException.field(key, null, "is not a known key of an MQTT source; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        Object enabled = definition.getOrDefault("enabled", true);
        if (!(enabled instanceof Boolean) && !"true".equals(String.valueOf(enabled)) && !"false".equals(String.valueOf(enabled))) {
            throw InvalidEventException.field("enabled", null, "must be true or false");
        }
        Object topics = definition.get("topics");
        if (topics != null && !(topics instanceof List<?>)) {
            throw InvalidEventException.field("topics", null, "must be a list of topic filters, e.g. [\"factory/line-4/+/telemetry\"]");
        }
        String password = ConnectionDefinitions.password(definition, environment, "${MILLWRIGHT_MQTT_LINE4_PASSWORD}");
        String qosText = text(definition, "qos", "1");
        int qos;
        try {
            qos = Integer.parseInt(qosText);
        } catch (NumberFormatException e) {
            throw InvalidEventException.field("qos", qosText, "must be 0, 1 or 2");
        }
        MqttSourcesProperties.Source source = new MqttSourcesProperties.Source(
                definition.get("broker-url") == null ? null : String.valueOf(definition.get("broker-url")),
                text(definition, "version", "5"),
                topics == null ? null : ((List<?>) topics).stream().map(t -> t == null ? null : String.valueOf(t)).toList(),
                text(definition, "mapping", ""), qos, text(definition, "client-id", ""), text(definition, "username", ""), password);
        Set<ConstraintViolation<MqttSourcesProperties.Source>> violations = validator.validate(source);
        if (!violations.isEmpty()) {
            ConstraintViolation<MqttSourcesProperties.Source> first = violations.stream()
                    .min(java.util.Comparator.comparing(v -> v.getPropertyPath().toString())).orElseThrow();
            throw InvalidEventException.field(kebab(first.getPropertyPath().toString()), null, first.getMessage());
        }
        if (!source.mapping().isBlank() && !Files.isRegularFile(mappingFile(source))) {
            throw InvalidEventException.field("mapping", source.mapping(), "no such file under the mappings folder ("
                    + directories.mappings() + "), e.g. transform/mqtt-json-to-readings.jsonata");
        }
        try {
            new MqttJsonMapping(id, mappingFile(source), json);
        } catch (IllegalStateException e) {
            throw InvalidEventException.field("mapping", source.mapping(), e.getMessage());
        }
        return new Definition(source, Boolean.parseBoolean(String.valueOf(enabled)));
    }

    /**
     * Runs a provisioned source as defined: its routes are replaced (stopped first) or, when
     * disabled, removed. A broker that cannot be reached keeps the routes defined and shows in the
     * status ({@code lastError}); enable or change the source to try again.
     */
    public synchronized void apply(String id, Definition definition) {
        remove(id);
        if (!definition.enabled()) {
            return;
        }
        MqttSourcesProperties.Source source = definition.source();
        Path file = mappingFile(source);
        MqttJsonMapping mapping = new MqttJsonMapping(id, file, json);
        Stats status = stats.computeIfAbsent(id, k -> new Stats());
        running.put(id, source.topics().size());
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routes.getObject().define(this, id, source, mapping, file, status);
                }
            });
        } catch (Exception e) {
            status.error("could not start: " + e.getMessage());
            log.warn("Provisioned MQTT source not started source={} broker={} reason={}", id, source.brokerUrl(), e.getMessage());
        }
    }

    /** Stops a provisioned source's routes and forgets its status. */
    public synchronized void remove(String id) {
        Integer topics = running.remove(id);
        if (topics == null) {
            return;
        }
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < topics; n++) {
            ids.add(MqttIngestRoutes.routeId(id, n));
        }
        ids.add(MqttIngestRoutes.mapRouteId(id));
        ids.add(MqttIngestRoutes.legacyResubmitRouteId(id));
        for (String routeId : ids) {
            try {
                if (camel.getRoute(routeId) != null) {
                    camel.getRouteController().stopRoute(routeId);
                    camel.removeRoute(routeId);
                }
            } catch (Exception e) {
                log.warn("MQTT source route not removed route={} reason={}", routeId, e.getMessage());
            }
        }
        routes.getObject().removeHandoff(id);
        stats.remove(id);
    }

    /** Live status of a source of the settings or a provisioned one. */
    public Status status(String id) {
        Stats now = stats.get(id);
        int topics = configured(id) ? settings.sources().get(id).topics().size() : running.getOrDefault(id, 0);
        if (now == null || topics == 0) {
            return new Status("disabled", false, null, 0, 0, null, 0);
        }
        boolean connected = true;
        for (int n = 0; n < topics; n++) {
            Route route = camel.getRoute(MqttIngestRoutes.routeId(id, n));
            connected &= route != null && connected(route.getConsumer());
        }
        long last = now.lastValueMillis;
        return new Status(connected ? "connected" : "connecting", connected, last == 0 ? null : Instant.ofEpochMilli(last),
                now.perSecond(), now.values.get(), now.lastError, now.errors.get());
    }

    /** The counters of a source, made on first use. */
    Stats stats(String id) {
        return stats.computeIfAbsent(id, k -> new Stats());
    }

    private static boolean connected(Consumer consumer) {
        if (consumer instanceof PahoMqtt5Consumer v5) {
            return v5.getClient() != null && v5.getClient().isConnected();
        }
        if (consumer instanceof PahoConsumer v3) {
            return v3.getClient() != null && v3.getClient().isConnected();
        }
        return false;
    }

    private Path mappingFile(MqttSourcesProperties.Source source) {
        return source.mapping().isBlank() ? null : directories.mappings().resolve(source.mapping());
    }

    private static String text(Map<String, Object> definition, String key, String fallback) {
        return ConnectionDefinitions.text(definition, key, fallback);
    }

    private static String kebab(String path) {
        return ConnectionDefinitions.kebab(path);
    }

    /** Values received and mapping errors of one source; values/s over the last few seconds. */
    public static final class Stats {
        private final AtomicLong values = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private volatile long lastValueMillis;
        private volatile String lastError;
        private final ValuesRate rate = new ValuesRate();

        void values(int count) {
            values.addAndGet(count);
            lastValueMillis = System.currentTimeMillis();
            rate.add(count);
        }

        void error(String reason) {
            errors.incrementAndGet();
            lastError = reason;
        }

        double perSecond() {
            return rate.perSecond();
        }
    }
}
