package io.millwright.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.ops.KafkaRecordBatches;
import io.millwright.ops.TelemetryFirstPolicy;
import io.millwright.ops.TelemetryPressure;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The alerting side route: the topics of the event types the rules watch, in its own consumer
 * group (from the latest records), through the {@link AlertEngine}; each raised or cleared alert is
 * published as an {@code alert} event ({@value Endpoints#EVENT_PUBLISH}) and delivered to each
 * channel that takes its severity (webhook, mail, Artemis address, chat), one after the other, unless
 * an operator silenced its rule and key; a failing channel is counted in health and never stops the
 * others. Raised alerts are kept in {@code alert_state} until cleared ({@link AlertStore}).
 *
 * <p>Where the hub runs without Kafka (the {@code edge} profile, {@code millwright.mes.kafka-enabled=false})
 * the rules read the same events from the embedded Artemis instead: one route per watched type,
 * {@code alerting-consume-<type>}, a non-durable subscriber on {@code millwright.events.<type>} (like
 * Kafka's latest records: what arrives while the hub is down is not evaluated). A CloudEvents batch
 * (signals) is evaluated event by event.
 *
 * <p>Telemetry first ({@link TelemetryFirstPolicy}), like the analytics feed: before each poll the
 * route waits, bounded, while the telemetry path is behind.
 */
class AlertingRoute extends RouteBuilder {

    static final String CONSUME_ROUTE_ID = "alerting-consume";
    static final String SOURCE = "millwright://alerting";
    private static final Pattern CLOUD_EVENT_TYPE = Pattern.compile("io\\.millwright\\.([a-z0-9]+(?:-[a-z0-9]+)*)\\.v[0-9]+");

    private final AlertEngine engine;
    private final List<AlertChannel> channels;
    private final AlertStore store;
    private final AlertingProperties settings;
    private final ObjectMapper objectMapper;
    /** camel-jms component bound to the hub's Artemis when the rules read Artemis; null = Kafka. */
    private final String artemisComponent;
    private final TelemetryPressure pressure;

    /** @param artemisComponent the camel-jms component on the hub's Artemis ({@code jms}); null = read Kafka */
    AlertingRoute(AlertEngine engine, List<AlertChannel> channels, AlertStore store, AlertingProperties settings,
            ObjectMapper objectMapper, String artemisComponent, TelemetryPressure pressure) {
        this.artemisComponent = artemisComponent;
        this.pressure = pressure;
        this.engine = engine;
        this.channels = List.copyOf(channels);
        this.store = store;
        this.settings = settings;
        this.objectMapper = objectMapper;
    }

    @Override
    public void configure() {
        if (engine.rules().isEmpty()) {
            return;
        }
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Alerting skipped a record reason=${exception.message}");

        List<String> types = engine.rules().stream().map(AlertRules.Rule::on).distinct().sorted().toList();
        if (artemisComponent != null) {
            for (String type : types) {
                from(artemisComponent + ":topic:millwright.events." + type)
                        .routeId(CONSUME_ROUTE_ID + "-" + type)
                        .routeProperty("layer", "3").routeProperty("outcome", "safety")
                        .routeDescription("Alerting on Artemis (no Kafka): evaluates analytics-bridge/alert-rules.yaml on "
                                + "millwright.events." + type + ", raises and clears alert events, delivers them to the channels")
                        .routePolicy(new TelemetryFirstPolicy(pressure))
                        .process(this::evaluate)
                        .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                        .to(Endpoints.EVENT_PUBLISH);
            }
            return;
        }
        String topics = types.stream().map(type -> "millwright.events." + type).collect(Collectors.joining(","));
        from("kafka:" + topics
                + "?groupId=" + settings.consumerGroup()
                + "&autoOffsetReset=latest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer"
                + KafkaRecordBatches.options(500))
                .routeId(CONSUME_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "safety")
                .routeDescription("Alerting: evaluates analytics-bridge/alert-rules.yaml, raises and clears alert events, delivers them to the channels")
                .routePolicy(new TelemetryFirstPolicy(pressure))
                .process(this::evaluate)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                .to(Endpoints.EVENT_PUBLISH);
    }

    /** A poll's records in order; the alerts they raise and clear, together. A record that cannot be read is logged and skipped. */
    private void evaluate(Exchange exchange) throws Exception {
        List<EventEnvelope<?>> alerts = new ArrayList<>();
        for (byte[] record : KafkaRecordBatches.values(exchange)) {
            try {
                JsonNode message = objectMapper.readTree(record);
                // a CloudEvents batch (signals on Artemis) holds many events; Kafka records hold one
                for (JsonNode event : message.isArray() ? message : List.of(message)) {
                    evaluate(event, alerts);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Alerting skipped a record reason={}", e.getMessage());
            }
        }
        // the rules' pending "for" timers, kept so that a restart does not restart them
        store.pending(engine.takePendingChanges());
        exchange.getMessage().setBody(alerts);
    }

    private void evaluate(JsonNode event, List<EventEnvelope<?>> alerts) throws IOException {
        Matcher type = CLOUD_EVENT_TYPE.matcher(event.path("type").asText(""));
        if (type.matches()) {
            for (AlertEngine.Alert alert : engine.evaluate(type.group(1), event)) {
                EventEnvelope<AlertEngine.Alert> envelope = EventEnvelope.of(EventType.ALERT, SOURCE,
                        event.path("subject").asText(null), Instant.now(), event.path("correlationid").asText(null), alert);
                log.info("Alert {} rule={} severity={} key={} alertId={}", alert.status(), alert.rule(), alert.severity(),
                        alert.key(), alert.alertId());
                Instant now = Instant.now();
                if ("RAISED".equals(alert.status())) {
                    store.raised(alert, now);
                } else {
                    store.cleared(alert.alertId(), now);
                }
                if (store.silenced(alert.rule(), alert.key(), now)) {
                    log.info("Alert silenced, not sent to the channels rule={} key={} alertId={}", alert.rule(), alert.key(), alert.alertId());
                } else {
                    byte[] cloudEvent = objectMapper.writeValueAsBytes(envelope);
                    for (AlertChannel channel : channels) {
                        if (channel.takes(alert.severity())) {
                            channel.deliver(alert, cloudEvent);
                        }
                    }
                }
                alerts.add(envelope);
            }
        }
    }
}
