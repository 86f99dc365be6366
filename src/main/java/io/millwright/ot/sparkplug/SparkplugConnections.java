package io.millwright.ot.sparkplug;

import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.AssetLookup;
import io.millwright.model.Endpoints;
import io.millwright.model.InvalidEventException;
import io.millwright.ops.TelemetryPressure;
import io.millwright.ot.ConnectionDefinitions;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Sparkplug B host applications provisioned through the API ({@code type: sparkplug}), beside the
 * one of the settings ({@code millwright.sparkplug.*}, connection name {@value SparkplugHost#SETTINGS_CONNECTION}).
 * Each one is a {@link SparkplugHost} with its own MQTT session, host id and STATE topic, and its
 * own two routes, {@code ot-<name>-sparkplug-ingest} (readings through the edge filters to the
 * telemetry intake) and {@code ot-<name>-sparkplug-data-gap} (to the publishing route), so it shows
 * in Hawtio with statistics like the host of the settings. Started, replaced and stopped at runtime.
 *
 * <p>A definition holds the settings' keys in kebab-case: {@code host-id} and {@code broker-url}
 * (required), {@code client-id}, {@code username}, {@code password} (only a reference to an
 * environment variable, {@code ${MILLWRIGHT_SPARKPLUG_PLANT2_PASSWORD}}, resolved when it starts),
 * {@code keep-alive}, {@code connect-timeout}, {@code rebirth-on-unknown-alias}, {@code group-ids} (a list; empty =
 * every group), plus {@code enabled}.
 */
@Component
// with the provisioning API (a central hub without a plant has neither)
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
public class SparkplugConnections implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SparkplugConnections.class);

    static final String ID_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";
    private static final Set<String> KEYS = Set.of("host-id", "broker-url", "client-id", "username", "password", "keep-alive",
            "connect-timeout", "rebirth-on-unknown-alias", "group-ids", "enabled");

    /** A host's live status; {@code state} is {@code connected}, {@code connecting} or {@code disabled}. */
    public record Status(String state, boolean connected, Instant lastValueTime, double valuesPerSecond, long valuesReceived,
            String lastError, long errors) {}

    /** A provisioned host, checked: its settings (password resolved) and whether it runs. */
    public record Definition(SparkplugProperties settings, boolean enabled) {}

    // a provider, not the context: Spring starts a Lifecycle bean's direct dependencies first, and a
    // started CamelContext no longer takes the hub's RouteBuilders ("Camel already started, not adding
    // routes"): with CamelContext in the constructor every packaged hub with OT on came up with 0 routes
    private final ObjectProvider<CamelContext> camel;
    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final Environment environment;
    private final Validator validator;
    private final ObjectProvider<AssetLookup> assets;
    private final ObjectProvider<SparkplugHost> settingsHost;
    private final ObjectProvider<TelemetryPressure> pressure;
    private final Map<String, SparkplugHost> running = new ConcurrentHashMap<>();
    private volatile boolean started;

    public SparkplugConnections(ObjectProvider<CamelContext> camel, ProducerTemplate producer, MeterRegistry meters, Environment environment,
            Validator validator, ObjectProvider<AssetLookup> assets, ObjectProvider<SparkplugHost> settingsHost,
            ObjectProvider<TelemetryPressure> pressure) {
        this.pressure = pressure;
        this.camel = camel;
        this.producer = producer;
        this.meters = meters;
        this.environment = environment;
        this.validator = validator;
        this.assets = assets;
        this.settingsHost = settingsHost;
    }

    /** Whether the host of the settings runs under {@code name} ({@value SparkplugHost#SETTINGS_CONNECTION}); it wins over the API. */
    public boolean configured(String name) {
        return SparkplugHost.SETTINGS_CONNECTION.equals(name) && settingsHost.getIfAvailable() != null;
    }

    /** The host of the settings, when {@code millwright.sparkplug.enabled=true}. */
    public Optional<SparkplugHost> settingsHost() {
        return Optional.ofNullable(settingsHost.getIfAvailable());
    }

    /** Checks a definition sent to the API as the settings are checked; each error names the key and the reason. */
    public Definition validate(String name, Map<String, Object> definition) {
        if (!name.matches(ID_PATTERN)) {
            throw InvalidEventException.field("name", name, "must be kebab-case (lower-case letters, digits, '-'), e.g. plant-2-sparkplug");
        }
        for (String key : definition.keySet()) {
            if (!KEYS.contains(key)) {
                throw InvalidEventException.field(key, null, "is not a known key of a Sparkplug connection; known: " + new TreeSet<>(KEYS));
            }
        }
        boolean enabled = bool(definition, "enabled", true);
        String password = ConnectionDefinitions.password(definition, environment, "${MILLWRIGHT_SPARKPLUG_PLANT2_PASSWORD}");
        SparkplugProperties settings = new SparkplugProperties(true,
                definition.get("host-id") == null ? null : String.valueOf(definition.get("host-id")),
                definition.get("broker-url") == null ? null : String.valueOf(definition.get("broker-url")),
                text(definition, "client-id", ""), text(definition, "username", ""), password,
                duration(definition, "keep-alive", "30s"), duration(definition, "connect-timeout", "10s"),
                bool(definition, "rebirth-on-unknown-alias", true), groupIds(definition));
        Set<ConstraintViolation<SparkplugProperties>> violations = validator.validate(settings);
        if (!violations.isEmpty()) {
            ConstraintViolation<SparkplugProperties> first = violations.stream()
                    .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElseThrow();
            throw InvalidEventException.field(kebab(first.getPropertyPath().toString()), null, first.getMessage());
        }
        try {
            java.net.URI uri = new java.net.URI(settings.brokerUrl());
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new java.net.URISyntaxException(settings.brokerUrl(), "no host or port");
            }
        } catch (java.net.URISyntaxException e) {
            throw InvalidEventException.field("broker-url", settings.brokerUrl(), "must be tcp://host:port or ssl://host:port");
        }
        if (settings.keepAlive().toSeconds() < 1) {
            throw InvalidEventException.field("keep-alive", null, "must be at least 1s");
        }
        if (enabled) {
            refuseSameHostId(name, settings);
        }
        return new Definition(settings, enabled);
    }

    // two hosts of one id on one broker would take each other's STATE for a stale will and fight over it
    private void refuseSameHostId(String name, SparkplugProperties settings) {
        settingsHost().filter(h -> sameSession(h.settings(), settings)).ifPresent(h -> {
            throw InvalidEventException.field("host-id", settings.hostId(), "is the host id of the settings' Sparkplug host on "
                    + settings.brokerUrl() + " (millwright.sparkplug.host-id); choose another");
        });
        running.forEach((other, host) -> {
            if (!other.equals(name) && sameSession(host.settings(), settings)) {
                throw InvalidEventException.field("host-id", settings.hostId(), "is already used on " + settings.brokerUrl()
                        + " by the connection '" + other + "'; choose another");
            }
        });
    }

    private static boolean sameSession(SparkplugProperties a, SparkplugProperties b) {
        return a.brokerUrl().equals(b.brokerUrl()) && (a.hostId().equals(b.hostId()) || a.effectiveClientId().equals(b.effectiveClientId()));
    }

    /**
     * Runs a provisioned host as defined: a running one of that name is stopped first (its STATE
     * goes offline), then, unless disabled, its routes are added and the new host connects; a broker
     * that cannot be reached is retried in the background and shows in the status ({@code lastError}).
     */
    public synchronized void apply(String name, Definition definition) {
        remove(name);
        if (!definition.enabled()) {
            return;
        }
        String ingest = "direct:ot-" + name + "-sparkplug-ingest";
        String dataGap = "direct:ot-" + name + "-sparkplug-data-gap";
        try {
            camel.getObject().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(ingest).routeId(ingestRouteId(name))
                            .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                            .routeDescription("Sparkplug B metrics of the provisioned connection " + name + " through the edge filters to "
                                    + Endpoints.TELEMETRY_INTAKE)
                            .to(Endpoints.EDGE_FILTER);
                    from(dataGap).routeId(dataGapRouteId(name))
                            .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                            .routeDescription("Sparkplug B data gaps of the provisioned connection " + name + " to " + Endpoints.EVENT_PUBLISH)
                            .to(Endpoints.EVENT_PUBLISH);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Sparkplug connection " + name + ": its routes could not be added: " + e.getMessage(), e);
        }
        SparkplugProperties settings = definition.settings();
        SparkplugHost host = new SparkplugHost(name, ingest, dataGap, settings,
                new SparkplugSessions(assets.getObject(), settings.rebirthOnUnknownAlias()), producer, meters);
        running.put(name, host);
        pressure.ifAvailable(telemetry -> telemetry.register(host.handoffFill()));
        host.start();
        log.info("Provisioned Sparkplug host started connection={} hostId={} broker={} connected={}", name, settings.hostId(),
                settings.brokerUrl(), host.isConnected());
    }

    /** Stops a provisioned host (STATE offline, clean disconnect), removes its routes and its meters. */
    public synchronized void remove(String name) {
        SparkplugHost host = running.remove(name);
        if (host != null) {
            host.stop();
            host.removeMeters();
            pressure.ifAvailable(telemetry -> telemetry.unregister(host.handoffFill()));
        }
        for (String routeId : new String[] {ingestRouteId(name), dataGapRouteId(name)}) {
            try {
                CamelContext context = camel.getObject();
                if (context.getRoute(routeId) != null) {
                    context.getRouteController().stopRoute(routeId);
                    context.removeRoute(routeId);
                }
            } catch (Exception e) {
                log.warn("Sparkplug connection route not removed route={} reason={}", routeId, e.getMessage());
            }
        }
    }

    /** Live status of a provisioned host, or of the host of the settings ({@value SparkplugHost#SETTINGS_CONNECTION}). */
    public Status status(String name) {
        SparkplugHost host = configured(name) ? settingsHost.getIfAvailable() : running.get(name);
        if (host == null) {
            return new Status("disabled", false, null, 0, 0, null, 0);
        }
        long last = host.lastMessageMillis();
        boolean connected = host.isConnected();
        return new Status(connected ? "connected" : "connecting", connected, last == 0 ? null : Instant.ofEpochMilli(last),
                host.readingsPerSecond(), host.readingsReceived(), host.lastError(), host.errors());
    }

    /** The running provisioned host of that name (tests, commands). */
    public Optional<SparkplugHost> host(String name) {
        return Optional.ofNullable(running.get(name));
    }

    @Override
    public void start() {
        // the stored connections are started by the provisioning API once the hub is ready
        started = true;
    }

    /** With the hub: every provisioned host says offline and disconnects, before Camel stops (a higher phase stops first). */
    @Override
    public synchronized void stop() {
        for (String name : new java.util.ArrayList<>(running.keySet())) {
            remove(name);
        }
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    static String ingestRouteId(String name) {
        return "ot-" + name + "-sparkplug-ingest";
    }

    static String dataGapRouteId(String name) {
        return "ot-" + name + "-sparkplug-data-gap";
    }

    private static String text(Map<String, Object> definition, String key, String fallback) {
        return ConnectionDefinitions.text(definition, key, fallback);
    }

    private static java.util.List<String> groupIds(Map<String, Object> definition) {
        Object value = definition.get("group-ids");
        if (value == null) {
            return java.util.List.of();
        }
        if (!(value instanceof java.util.List<?> list)) {
            throw InvalidEventException.field("group-ids", null, "must be a list of Sparkplug group ids, e.g. [\"plant-2\"]");
        }
        return list.stream().map(g -> g == null ? null : String.valueOf(g)).toList();
    }

    private static boolean bool(Map<String, Object> definition, String key, boolean fallback) {
        Object value = definition.getOrDefault(key, fallback);
        String text = String.valueOf(value);
        if (!"true".equals(text) && !"false".equals(text)) {
            throw InvalidEventException.field(key, null, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static Duration duration(Map<String, Object> definition, String key, String fallback) {
        String text = text(definition, key, fallback);
        try {
            return DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field(key, text, "must be a duration such as 30s or 500ms");
        }
    }

    private static String kebab(String path) {
        return ConnectionDefinitions.kebab(path);
    }
}
