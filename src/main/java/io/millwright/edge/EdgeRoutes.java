package io.millwright.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.AssetLookup;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.SourceReading;
import io.millwright.ops.ErrorPolicies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The edge stream analytics as routes with statistics: {@code edge-filter}
 * ({@value Endpoints#EDGE_FILTER}: every reading feeds the rollups, what passes the filters goes
 * on to {@value Endpoints#TELEMETRY_INTAKE}) and, when rollups are declared,
 * {@code edge-rollup-publish} (each second, windows that ended become {@code signal-rollup} events
 * for {@value Endpoints#EVENT_PUBLISH}, with those a later value closed). The
 * Sparkplug B and MQTT sources send here; with nothing declared every reading passes unchanged.
 */
@Component
public class EdgeRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(EdgeRoutes.class);

    private final EdgeFilters filters;
    private final EdgeRollups rollups;
    private final AssetLookup assets;
    private final Counter in;
    private final Counter dropped;
    private final Queue<EdgeRollups.Closed> pending = new ConcurrentLinkedQueue<>();

    public EdgeRoutes(EdgeProperties settings, AssetLookup assets, MeterRegistry meters) {
        this.filters = new EdgeFilters(settings.filters());
        this.rollups = new EdgeRollups(settings.rollups());
        this.assets = assets;
        this.in = meters.counter("millwright.edge.readings", "outcome", "in");
        this.dropped = meters.counter("millwright.edge.readings", "outcome", "dropped");
        log.info("Edge analytics filters={} rollups={}", settings.filters().size(), settings.rollups().size());
    }

    @Override
    public void configure() {
        from(Endpoints.EDGE_FILTER)
                .routeId("edge-filter")
                .routeProperty("layer", "1").routeProperty("outcome", "cost")
                .routeDescription("Edge filters (deadband, minimum interval, report by exception) and rollups before "
                        + Endpoints.TELEMETRY_INTAKE)
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::filter)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                .to(Endpoints.TELEMETRY_INTAKE);
        if (!rollups.isEmpty()) {
            from("timer:edge-rollups?period=1000")
                    .routeId("edge-rollup-publish")
                    .routeProperty("layer", "1").routeProperty("outcome", "cost")
                    .routeDescription("Edge rollups whose window ended, as signal-rollup events, to " + Endpoints.EVENT_PUBLISH)
                    .process(exchange -> exchange.getMessage().setBody(envelopes(drain())))
                    .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                    .to(Endpoints.EVENT_PUBLISH);
        }
    }

    @SuppressWarnings("unchecked")
    private void filter(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        List<SourceReading> readings = body instanceof List<?> list ? (List<SourceReading>) list : List.of((SourceReading) body);
        in.increment(readings.size());
        // windows a later value closed go out with the next tick, beside those whose end passed
        pending.addAll(rollups.add(readings));
        List<SourceReading> passed = filters.apply(readings);
        dropped.increment(readings.size() - passed.size());
        exchange.getMessage().setBody(passed);
    }

    private List<EdgeRollups.Closed> drain() {
        List<EdgeRollups.Closed> closed = new ArrayList<>();
        for (EdgeRollups.Closed c = pending.poll(); c != null; c = pending.poll()) {
            closed.add(c);
        }
        closed.addAll(rollups.closeBefore(Instant.now()));
        return closed;
    }

    private List<EventEnvelope<?>> envelopes(List<EdgeRollups.Closed> closed) {
        List<EventEnvelope<?>> events = new ArrayList<>(closed.size());
        for (EdgeRollups.Closed c : closed) {
            events.add(EventEnvelope.of(EventType.SIGNAL_ROLLUP, c.source(),
                    assets.assetPath(c.source(), c.connection(), c.rollup().tag()), c.rollup().windowEnd(), null, c.rollup()));
        }
        return events;
    }
}
