package io.millwright.principles;

import io.millwright.model.Outcome;
import io.millwright.model.ReferenceLayer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Build one layer at a time": every route names its layer of the reference model in the route
 * property {@code layer} (1 to 5) and its business outcome in {@code outcome}; a route of a layer
 * that is switched off ({@code millwright.layers.<n>.enabled=false}) is not started. It never starts a
 * route its own configuration keeps stopped.
 *
 * <p>A route without a layer (an integrator's flow in {@code routes/} that does not say) is treated as
 * layer 2, the integration flows, with a warning; a route created by a Kamelet runs with its caller. A
 * layer or outcome that does not exist stops the start with the route, the property and the value.
 */
public class RouteLayerPolicy implements RoutePolicyFactory {

    private static final Logger log = LoggerFactory.getLogger(RouteLayerPolicy.class);

    /** The layer of a route that names none. */
    static final int DEFAULT_LAYER = 2;

    private final Set<Integer> enabled;
    private final Map<String, Integer> switchedOff = new ConcurrentHashMap<>();

    public RouteLayerPolicy(Set<Integer> enabled) {
        this.enabled = Set.copyOf(enabled);
    }

    /** The layers that run. */
    public Set<Integer> enabled() {
        return enabled;
    }

    /** Route id -> layer, of the routes this policy kept from starting. */
    public Map<String, Integer> switchedOff() {
        return Map.copyOf(switchedOff);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onInit(Route route) {
                decide(route);
            }
        };
    }

    /** The layer a route names: its {@code layer} property, 1 to 5. */
    public static int layerOf(Route route) {
        Object value = route.getProperties().get(ReferenceLayer.ROUTE_PROPERTY);
        if (value == null || String.valueOf(value).isBlank()) {
            return DEFAULT_LAYER;
        }
        try {
            int layer = Integer.parseInt(String.valueOf(value).trim());
            ReferenceLayer.name(layer);
            return layer;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("route '" + route.getRouteId() + "': route property layer='" + value
                    + "' is not a layer of the reference model; use 1 to 5", e);
        }
    }

    private void decide(Route route) {
        if (isCreatedByKamelet(route)) {
            return;
        }
        declaredInNote(route);
        Object outcome = route.getProperties().get(Outcome.ROUTE_PROPERTY);
        if (outcome == null || String.valueOf(outcome).isBlank()) {
            log.warn("Route declares no outcome routeId={}; add routeProperty outcome (throughput, quality, cost, safety"
                    + " or predictability)", route.getRouteId());
        } else if (Outcome.parse(outcome).isEmpty()) {
            throw new IllegalArgumentException("route '" + route.getRouteId() + "': route property outcome='" + outcome
                    + "' is not one of throughput, quality, cost, safety, predictability");
        }
        if (route.getProperties().get(ReferenceLayer.ROUTE_PROPERTY) == null) {
            log.warn("Route declares no layer routeId={}; treated as layer {} ({})", route.getRouteId(), DEFAULT_LAYER,
                    ReferenceLayer.name(DEFAULT_LAYER));
        }
        int layer = layerOf(route);
        if (!enabled.contains(layer)) {
            route.setAutoStartup(false);
            switchedOff.put(route.getRouteId(), layer);
            log.info("Route not started, its layer is switched off routeId={} layer={} ({}) setting=millwright.layers.{}.enabled",
                    route.getRouteId(), layer, ReferenceLayer.name(layer), layer);
        }
    }

    /**
     * Camel 4.17's YAML DSL has no route properties: a YAML flow says {@code note: "layer=2
     * outcome=predictability"}, and these become the route's properties here.
     */
    static void declaredInNote(Route route) {
        Object note = route.getProperties().get(Route.NOTE_PROPERTY);
        if (note == null) {
            return;
        }
        for (String word : String.valueOf(note).trim().split("[\\s,;]+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                String key = word.substring(0, eq);
                if (key.equals(ReferenceLayer.ROUTE_PROPERTY) || key.equals(Outcome.ROUTE_PROPERTY)) {
                    route.getProperties().putIfAbsent(key, word.substring(eq + 1));
                }
            }
        }
    }

    private static boolean isCreatedByKamelet(Route route) {
        return route.getProperties().get(Route.KAMELET_PROPERTY) != null
                && Boolean.parseBoolean(String.valueOf(route.getProperties().get(Route.KAMELET_PROPERTY)));
    }
}
