package io.millwright.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/** The reference model's principles, checked on a running hub's routes. */
public final class RoutePrinciples {

    private RoutePrinciples() {}

    /**
     * Every route of the hub (but those a Kamelet creates for its caller) names its layer, 1 to 5, and
     * the business outcome it serves; the message lists every route that does not.
     */
    public static void assertEveryRouteDeclaresLayerAndOutcome(CamelContext camel) {
        List<String> wrong = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (Boolean.parseBoolean(String.valueOf(route.getProperties().get(Route.KAMELET_PROPERTY)))) {
                continue;
            }
            Object layer = route.getProperties().get("layer");
            Object outcome = route.getProperties().get("outcome");
            if (layer == null || !String.valueOf(layer).matches("[1-5]") || Outcome.parse(outcome).isEmpty()) {
                wrong.add(route.getRouteId() + " (layer=" + layer + ", outcome=" + outcome + ")");
            }
        }
        assertThat(camel.getRoutes()).as("routes of the hub").isNotEmpty();
        assertThat(wrong).as("routes without a valid layer (1-5) and outcome (throughput, quality, cost, safety,"
                + " predictability)").isEmpty();
    }
}
