package io.millwright.ot.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.IsoInstants;
import io.millwright.ops.ErrorPolicies;
import io.millwright.ops.FlowBatches;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.ops.TelemetryPressure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Per MQTT source ({@code millwright.mqtt.sources.<id>}): one route per topic filter,
 * {@code ot-<id>-mqtt-<n>}, on camel-paho-mqtt5 (MQTT 5) or camel-paho (MQTT 3.1.1), that hands
 * each message with its topic to {@code ot-<id>-mqtt-map}, which maps it (JSONata compiled once)
 * to readings of source {@code mqtt://<id>} for the edge filters ({@value Endpoints#EDGE_FILTER}) and
 * {@value Endpoints#TELEMETRY_INTAKE}. A message that
 * is not JSON or that the mapping cannot use is dead-lettered there with its reason, as
 * {@code {"topic","payload","receivedTime"}}, and resubmits to the mapping route.
 *
 * <p>The hand-off between the two is a bounded Camel SEDA queue per source
 * ({@code seda:ot-mqtt-<id>}, {@value #HANDOFF_CAPACITY} messages, one consumer: the mapping keeps the
 * arrival order), as the Sparkplug host's: the MQTT client's callback thread only wraps the message
 * and queues it, the mapping, the edge filters and the intake run on the queue's thread. A full queue
 * blocks the callback thread ({@code blockWhenFull}, no timeout): a slow flow slows the reading of the
 * socket (and the broker holds or, at QoS 0, drops what it cannot deliver, as it does for any slow
 * subscriber), the hub drops nothing. Its fill (0..1) is {@code millwright.mqtt.handoff.fill{source}}
 * and is registered with {@code ops.TelemetryPressure}, so the side routes wait while it falls behind.
 */
@Component
public class MqttIngestRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(MqttIngestRoutes.class);
    private static final String TOPIC_HEADER = "CamelMqttTopic"; // camel-paho and camel-paho-mqtt5 alike

    /** Messages between an MQTT source's client thread and its mapping; ~4 s of a busy source at 1,000 messages/s. */
    static final int HANDOFF_CAPACITY = 4096;

    private final MqttSourcesProperties settings;
    private final HubDirectoriesProperties directories;
    private final ObjectMapper json;
    private final MqttSources sources;
    private final MeterRegistry meters;
    private final TelemetryPressure pressure;
    private final int handoffCapacity;
    /** Per source id: its hand-off's fill gauge and the supplier registered with {@link TelemetryPressure}. */
    private final Map<String, Handoff> handoffs = new ConcurrentHashMap<>();

    @Autowired
    public MqttIngestRoutes(MqttSourcesProperties settings, HubDirectoriesProperties directories, ObjectMapper json,
            MqttSources sources, MeterRegistry meters, TelemetryPressure pressure) {
        this(settings, directories, json, sources, meters, pressure, HANDOFF_CAPACITY);
    }

    MqttIngestRoutes(MqttSourcesProperties settings, HubDirectoriesProperties directories, ObjectMapper json,
            MqttSources sources, MeterRegistry meters, TelemetryPressure pressure, int handoffCapacity) {
        this.settings = settings;
        this.directories = directories;
        this.json = json;
        this.sources = sources;
        this.meters = meters;
        this.pressure = pressure;
        this.handoffCapacity = handoffCapacity;
    }

    /** A source's hand-off as the meters and the telemetry pressure see it. */
    private record Handoff(Gauge gauge, DoubleSupplier fill) {}

    @Override
    public void configure() {
        settings.sources().forEach((id, source) -> {
            if (!id.matches(MqttSources.ID_PATTERN)) {
                throw new IllegalStateException("millwright.mqtt.sources." + id + ": a source id may hold only letters, digits, '.', '_' and '-'");
            }
            Path file = null;
            if (!source.mapping().isBlank()) {
                file = directories.mappings().resolve(source.mapping());
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("millwright.mqtt.sources." + id + ".mapping: the file " + file
                            + " does not exist; give a path under millwright.mappings-dir, e.g. transform/mqtt-json-to-readings.jsonata");
                }
            }
            define(this, id, source, new MqttJsonMapping(id, file, json), file, sources.stats(id));
        });
    }

    /**
     * The routes of one source on {@code builder}: {@code ot-<id>-mqtt-<n>} per topic filter and
     * {@code ot-<id>-mqtt-map}; the source's status counts what the mapping made of each message.
     */
    void define(RouteBuilder builder, String id, MqttSourcesProperties.Source source, MqttJsonMapping mapping, Path file,
            MqttSources.Stats stats) {
        String mapEndpoint = handoffUri(id);
        SedaEndpoint queue = builder.getContext().getEndpoint(mapEndpoint, SedaEndpoint.class);
        registerHandoff(id, queue);
        for (int n = 0; n < source.topics().size(); n++) {
            String topic = source.topics().get(n);
            builder.from(uri(id, source, n, topic))
                    .routeId(routeId(id, n))
                    .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                    .routeDescription("MQTT " + source.version() + " " + source.brokerUrl() + " " + topic + " to " + mapEndpoint)
                    .process(this::wrap)
                    .to(mapEndpoint);
        }
        builder.from(mapEndpoint)
                .routeId(mapRouteId(id))
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("MQTT source " + id + ": JSON to readings (" + (file == null ? "built-in mapping" : file) + ") to "
                        + Endpoints.TELEMETRY_INTAKE)
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(exchange -> {
                    try {
                        map(exchange, mapping, resubmitUri(id));
                        stats.values(exchange.getMessage().getBody(java.util.List.class).size());
                    } catch (Exception e) {
                        stats.error(e.getMessage());
                        throw e;
                    }
                })
                .to(Endpoints.EDGE_FILTER);
        // dead letters of older versions name direct:ot-mqtt-<id> as their resubmit point: they still reach the mapping
        builder.from(legacyResubmitUri(id))
                .routeId(legacyResubmitRouteId(id))
                .routeProperty("layer", "1").routeProperty("outcome", "throughput")
                .routeDescription("MQTT source " + id + ": resubmits of dead letters that older versions wrote (direct:ot-mqtt-<id>), as to " + resubmitUri(id))
                .to(mapEndpoint);
        log.info("MQTT source routes created source={} broker={} version={} topics={} mapping={}", id, source.brokerUrl(),
                source.version(), source.topics(), file == null ? "built-in" : file);
    }

    /**
     * The source's hand-off: one consumer (arrival order), a producer that blocks while it is full and
     * never waits for the mapping (an MQTT exchange is done once its message is queued).
     */
    String handoffUri(String id) {
        return "seda:ot-mqtt-" + id + "?size=" + handoffCapacity + "&concurrentConsumers=1&blockWhenFull=true&offerTimeout=0"
                + "&waitForTaskToComplete=Never";
    }

    /**
     * Where a dead letter of the mapping goes back to: the hand-off by its plain name, without the
     * capacity and the other options of {@link #handoffUri}, so that a dead letter still resubmits after
     * they changed (Camel's SEDA endpoints of one name share one queue; a plain one takes it as it is).
     */
    static String resubmitUri(String id) {
        return "seda:ot-mqtt-" + id;
    }

    /** The mapping's resubmit point in dead letters written before {@link #resubmitUri}. */
    static String legacyResubmitUri(String id) {
        return "direct:ot-mqtt-" + id;
    }

    private void registerHandoff(String id, SedaEndpoint queue) {
        removeHandoff(id);
        int capacity = queue.getSize();
        DoubleSupplier fill = () -> queue.getQueue().size() / (double) capacity;
        Gauge gauge = Gauge.builder("millwright.mqtt.handoff.fill", fill, DoubleSupplier::getAsDouble).tag("source", id)
                .description("MQTT messages of a source waiting for its mapping, as a fraction of the hand-off's capacity")
                .register(meters);
        pressure.register(fill);
        handoffs.put(id, new Handoff(gauge, fill));
    }

    /** Takes a source's hand-off off the meters and the telemetry pressure (a provisioned source removed or replaced). */
    void removeHandoff(String id) {
        Handoff old = handoffs.remove(id);
        if (old != null) {
            pressure.unregister(old.fill());
            meters.remove(old.gauge());
        }
    }

    static String routeId(String id, int n) {
        return "ot-" + id + "-mqtt-" + n;
    }

    static String mapRouteId(String id) {
        return "ot-" + id + "-mqtt-map";
    }

    static String legacyResubmitRouteId(String id) {
        return "ot-" + id + "-mqtt-resubmit";
    }

    /** The message as the mapping route (and a resubmit) takes it: topic, payload text, receive time. */
    private void wrap(Exchange exchange) throws Exception {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("topic", exchange.getMessage().getHeader(TOPIC_HEADER, String.class));
        message.put("payload", new String(exchange.getMessage().getMandatoryBody(byte[].class), StandardCharsets.UTF_8));
        message.put("receivedTime", Instant.now().toString());
        exchange.getMessage().setBody(json.writeValueAsString(message));
    }

    private void map(Exchange exchange, MqttJsonMapping mapping, String resubmitEndpoint) throws Exception {
        String body = exchange.getMessage().getMandatoryBody(String.class);
        // say what a resubmit must send where: the mapping's own hand-off, so a resubmit is mapped as a message is
        FlowBatches.markResubmitPoint(exchange, resubmitEndpoint, body);
        JsonNode message = json.readTree(body);
        String topic = message.path("topic").asText();
        Instant received = IsoInstants.parse(message.path("receivedTime").asText());
        exchange.getMessage().setBody(mapping.map(topic, message.path("payload").asText().getBytes(StandardCharsets.UTF_8), received));
    }

    static String uri(String id, MqttSourcesProperties.Source source, int n, String topic) {
        String clientId = (source.clientId().isBlank() ? "millwright-" + id : source.clientId()) + "-" + n;
        boolean v5 = "5".equals(source.version());
        StringBuilder uri = new StringBuilder(v5 ? "paho-mqtt5:" : "paho:")
                .append(URLEncoder.encode(topic, StandardCharsets.UTF_8))
                .append("?brokerUrl=").append(URLEncoder.encode(source.brokerUrl(), StandardCharsets.UTF_8))
                .append("&clientId=").append(URLEncoder.encode(clientId, StandardCharsets.UTF_8))
                .append("&qos=").append(source.qos())
                .append(v5 ? "&cleanStart=true" : "&cleanSession=true&mqttVersion=4");
        if (!source.username().isBlank()) {
            uri.append("&userName=RAW(").append(source.username()).append(")");
        }
        if (!source.password().isEmpty()) {
            uri.append("&password=RAW(").append(source.password()).append(")");
        }
        return uri.toString();
    }
}
