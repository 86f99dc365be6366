package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.principles.RouteLayerPolicy;
import io.millwright.testsupport.RoutePrinciples;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Every flow shipped in routes/ loads, starts, and is named after its route. */
class ShippedRouteFilesTest {

    @Test
    void everyShippedFileLoadsAndIsNamedAfterItsRoute() throws Exception {
        try (DefaultCamelContext camelContext = new DefaultCamelContext()) {
            // the hub's layer policy reads each flow's layer and outcome from its note
            camelContext.addRoutePolicyFactory(new RouteLayerPolicy(Set.of(1, 2, 3, 4, 5)));
            camelContext.start();
            RouteFileLoader loader = new RouteFileLoader(camelContext, Path.of("routes"), Clock.systemUTC());

            loader.applyAll(true);

            List<RouteFileStatus> statuses = loader.statuses();
            assertThat(statuses).extracting(RouteFileStatus::file).contains("routes/ops-heartbeat.camel.yaml");
            for (RouteFileStatus status : statuses) {
                assertThat(status.lastError()).as(status.file()).isNull();
                String stem = Path.of(status.file()).getFileName().toString().replace(".camel.yaml", "");
                assertThat(status.routeIds()).as(status.file()).containsExactly(stem);
                assertThat(camelContext.getRouteController().getRouteStatus(stem)).isEqualTo(ServiceStatus.Started);
            }
            RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(camelContext);
        }
    }
}
