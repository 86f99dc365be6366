package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventIds;
import io.millwright.model.EventType;
import io.millwright.model.IsoInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predictive maintenance side route: the signals and machine states of the {@link AnalyticsFeedRoute}'s
 * polls into the {@link AnomalyDetector}; publishes {@code anomaly} events (when a streak starts,
 * then at most every {@code anomaly-every}) and {@code maintenance-request} events (OPEN after
 * {@code hold-for}, CLEARED after {@code clear-after} of smooth running) through the hub's event
 * publishing ({@value Endpoints#EVENT_PUBLISH}), so they reach Kafka, Artemis and the MES like any
 * canonical event. Its failures are logged and never reach the telemetry path.
 *
 * <p>Only what Kafka received after this route was made counts: the feed reads its topics from the
 * earliest record for the lake, and old data must not raise maintenance requests now.
 */
class AnomalyRoute extends RouteBuilder implements AnalyticsFeedStep {

    static final String POLL_ROUTE_ID = "analytics-anomaly-poll";
    static final String POLL_ENDPOINT = "direct:analytics-anomaly-poll";
    static final String SOURCE = "millwright://analytics/anomaly";

    private static final Logger log = LoggerFactory.getLogger(AnomalyRoute.class);

    private final AnomalyDetector detector;
    private final AnalyticsProperties.Anomaly settings;
    private final ObjectMapper objectMapper;
    private final long startedAtMillis = System.currentTimeMillis();
    private final Set<String> tags;
    private final Map<String, Instant[]> published = new HashMap<>();
    private final Map<String, String> openRequests = new HashMap<>();

    AnomalyRoute(AnomalyDetector detector, AnalyticsProperties.Anomaly settings, ObjectMapper objectMapper) {
        this.detector = detector;
        this.settings = settings;
        this.objectMapper = objectMapper;
        this.tags = Set.copyOf(settings.tags());
    }

    @Override
    public void configure() {
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Anomaly detection skipped a record reason=${exception.message}");

        from(POLL_ENDPOINT)
                .routeId(POLL_ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "cost")
                .routeDescription("Predictive maintenance: EWMA z-score per machine, state and tag; anomaly and maintenance-request events")
                .process(this::observe)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                .to(Endpoints.EVENT_PUBLISH);
    }

    @Override
    public String pollEndpoint() {
        return POLL_ENDPOINT;
    }

    @Override
    public Set<EventType> eventTypes() {
        return EnumSet.of(EventType.SIGNAL, EventType.MACHINE_STATE);
    }

    /**
     * A poll's events in order (those Kafka received before this route was made are skipped); the events
     * they give, together. One that cannot be taken is logged and skipped.
     */
    private void observe(Exchange exchange) throws Exception {
        exchange.getMessage().setBody(observe(AnalyticsPoll.of(exchange, objectMapper)));
    }

    List<EventEnvelope<?>> observe(AnalyticsPoll poll) {
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (AnalyticsPoll.Event event : poll.events()) {
            if (event.appendedAt() != null && event.appendedAt() < startedAtMillis) {
                continue;
            }
            try {
                events.addAll(event.signal() != null ? observe(event.signal()) : observe(event.json()));
            } catch (RuntimeException e) {
                log.warn("Anomaly detection skipped a record reason={}", e.getMessage());
            }
        }
        return events;
    }

    /** The events one signal read flat gives, as {@link #observe(JsonNode)} for its JSON. */
    synchronized List<EventEnvelope<?>> observe(SignalEvent signal) {
        String tag = signal.tagName();
        if (signal.subject() == null || signal.time() == null || !"GOOD".equals(signal.quality()) || !signal.hasNumber()
                || tag == null || !tags.contains(tag)) {
            return List.of();
        }
        return observe(signal.subject(), tag, signal.time(), signal.number(), signal.id());
    }

    /** The events one record gives: none, an anomaly, and/or a maintenance request. */
    synchronized List<EventEnvelope<?>> observe(JsonNode event) {
        List<EventEnvelope<?>> out = new ArrayList<>();
        String type = event.path("type").asText("");
        String asset = event.path("subject").asText(null);
        JsonNode timeNode = event.path("time").isTextual() ? event.path("time") : event.path("receivedtime");
        if (asset == null || !timeNode.isTextual()) {
            return out;
        }
        Instant time = IsoInstants.parse(timeNode.textValue());
        JsonNode data = event.path("data");
        if (type.equals(EventType.MACHINE_STATE.cloudEventType())) {
            detector.stateChanged(asset, data.path("state").asText(""), time);
            return out;
        }
        if (!type.equals(EventType.SIGNAL.cloudEventType()) || !"GOOD".equals(data.path("quality").asText())) {
            return out;
        }
        Double value = LakeColumns.numeric(data.path("value"));
        String tag = TagNames.nameOf(data);
        if (value == null || tag == null) {
            return out;
        }
        if (!tags.contains(tag)) {
            return out;
        }
        return observe(asset, tag, time, value, event.path("id").asText(null));
    }

    /** The events one GOOD sample of a watched tag gives. */
    private List<EventEnvelope<?>> observe(String asset, String tag, Instant time, double value, String correlation) {
        List<EventEnvelope<?>> out = new ArrayList<>();
        AnomalyDetector.Verdict verdict = detector.observe(asset, tag, time, value);
        String series = asset + '|' + tag;
        if (verdict.anomalous()) {
            Instant[] last = published.get(series);
            boolean newStreak = last == null || !verdict.anomalousSince().equals(last[0]);
            if (newStreak || !time.isBefore(last[1].plus(settings.anomalyEvery()))) {
                published.put(series, new Instant[] {verdict.anomalousSince(), time});
                out.add(EventEnvelope.of(EventType.ANOMALY, SOURCE, asset, time, correlation, new AnomalyEvents.Anomaly(
                        tag, value, round(verdict.score()), round(verdict.mean()), round(verdict.std()), settings.threshold(),
                        detector.stateOf(asset), "ewma-zscore", verdict.anomalousSince())));
            }
        }
        if (verdict.maintenanceRequested()) {
            String requestId = EventIds.next();
            openRequests.put(series, requestId);
            out.add(EventEnvelope.of(EventType.MAINTENANCE_REQUEST, SOURCE, asset, time, correlation,
                    new AnomalyEvents.MaintenanceRequest(requestId, "OPEN", tag, value, round(verdict.score()),
                            verdict.anomalousSince(), tag + " " + round(verdict.score()) + " standard deviations above its usual level"
                                    + " for " + settings.holdFor().toSeconds() + " s and more")));
        }
        if (verdict.cleared()) {
            String requestId = openRequests.remove(series);
            out.add(EventEnvelope.of(EventType.MAINTENANCE_REQUEST, SOURCE, asset, time, correlation,
                    new AnomalyEvents.MaintenanceRequest(requestId == null ? EventIds.next() : requestId, "CLEARED", tag, value,
                            round(verdict.score()), null, tag + " back at its usual level for " + settings.clearAfter().toSeconds() + " s")));
        }
        return out;
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : 0;
    }
}
