package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.principles.RouteLayerPolicy;
import io.millwright.testsupport.RoutePrinciples;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.millwright.model.DataGap;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.OrderOperationEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Every flow shipped in routes/ and in the solution templates' routes/ folders loads, starts, and is
 * named after its route; each template's flow says its template's business event in the log.
 */
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

    // config/solutions/<name>/routes/: the flow reads the hub's live event feed, picks its template's
    // event out of a batch and says it in the log on io.millwright.flows.<route id>; the other event is not said
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "connected-factory|cf-order-completed-notice|Order completed order=4711 operation=0010 workUnit=" + ASSET,
        "remote-monitoring|rm-data-gap-notice|Data gap connection=remote-site-4 from=2026-12-01T02:00:00Z to=2026-12-01T02:01:35Z assets=1 reason=uplink down",
        "predictive-maintenance|pm-maintenance-request-notice|Maintenance requested asset=" + ASSET + " event=mr-1 time=2026-12-01T02:01:35Z"
    })
    void everyTemplateFlowLoads_andSaysItsEventInTheLog(String template, String routeId, String expectedLine) throws Exception {
        Path folder = Path.of("config/solutions", template, "routes");
        try (DefaultCamelContext camelContext = new DefaultCamelContext()) {
            camelContext.addRoutePolicyFactory(new RouteLayerPolicy(Set.of(1, 2, 3, 4, 5)));
            camelContext.start();
            RouteFileLoader loader = new RouteFileLoader(camelContext, folder, Clock.systemUTC(),
                    new ComponentAllowList(SHIPPED_ALLOW_LIST));

            loader.applyAll(true);

            assertThat(loader.statuses()).singleElement().satisfies(status -> {
                assertThat(status.lastError()).as(status.file()).isNull();
                assertThat(status.routeIds()).containsExactly(routeId);
                assertThat(status.file()).endsWith(routeId + ".camel.yaml");
            });
            assertThat(camelContext.getRoute(routeId).getProperties()).containsEntry("layer", "5");
            RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(camelContext);

            Logger logger = (Logger) LoggerFactory.getLogger("io.millwright.flows." + routeId);
            ListAppender<ILoggingEvent> lines = new ListAppender<>();
            lines.start();
            logger.addAppender(lines);
            try {
                Instant end = Instant.parse("2026-12-01T02:01:35Z");
                EventEnvelope<?> completed = new EventEnvelope<>("1.0", "oc-1", EventType.ORDER_COMPLETED.cloudEventType(),
                        "millwright://dispatch", ASSET, end, "application/json", null, end, null,
                        new OrderOperationEvent("4711", "0010", "dispatch", end.minusSeconds(600), end, "d-1"));
                EventEnvelope<?> gap = new EventEnvelope<>("1.0", "gap-1", EventType.DATA_GAP.cloudEventType(),
                        "opcua://remote-site-4", ASSET, end, "application/json", null, end, null,
                        new DataGap("opcua://remote-site-4", "remote-site-4", end.minusSeconds(95), end, List.of(ASSET), "uplink down"));
                EventEnvelope<?> request = new EventEnvelope<>("1.0", "mr-1", EventType.MAINTENANCE_REQUEST.cloudEventType(),
                        "millwright://analytics", ASSET, end, "application/json", null, end, null, Map.of("tag", "vibration"));
                camelContext.createProducerTemplate().sendBody(Endpoints.EVENT_FEED, List.of(completed, gap, request));

                await().atMost(Duration.ofSeconds(10)).until(() -> !lines.list.isEmpty());
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> lines.list.size() == 1);
                assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo(expectedLine);
            } finally {
                logger.detachAppender(lines);
            }
        }
    }

    private static final String ASSET = "acme/springfield/assembly/line-1/machine-2";
    /** The hub's default allow-list (millwright.routes.allowed-components in RouteFilesProperties). */
    private static final List<String> SHIPPED_ALLOW_LIST = List.of("direct", "seda", "timer", "scheduler", "log", "mock",
            "kamelet", "jms", "kafka", "paho-mqtt5", "bean", "jsonata", "json-validator", "http", "https", "file:consume");
}
