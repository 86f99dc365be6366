package io.millwright.principles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.RoutePrinciples;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub with layer 1 only ({@code millwright.layers.2..5.enabled=false}): it starts, runs only its
 * OT and edge routes, and a machine's readings still become canonical events on the backbone (Kafka
 * and Artemis replaced by mocks), with nothing dead-lettered. The other combinations are run on a plain
 * Camel context by {@link RouteLayerPolicyTest}.
 */
@CamelSpringBootTest
@SpringBootTest(properties = {
    "millwright.layers.2.enabled=false",
    "millwright.layers.3.enabled=false",
    "millwright.layers.4.enabled=false",
    "millwright.layers.5.enabled=false",
    "millwright.sim.opcua.enabled=false",
    "millwright.sim.erp.enabled=false",
    "millwright.artemis.embedded=false",
    "millwright.kafka.embedded=false",
    "millwright.mes.create-destinations=false",
    "millwright.ot.enabled=false",
    "millwright.security.admin-password=test-admin-secret",
    "millwright.sim.erp.password=test-sim-secret"
})
@UseAdviceWith
class LayerOneHubTest {

    private static final String NODE = "nsu=urn:millwright:sim:plant;s=Line1.Machine1.State";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("layer-one"));
    }

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired DeadLetterStore deadLetters;
    @Autowired RouteLayerPolicy policy;

    @BeforeEach
    void replaceBrokersWithMocks() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "mes-event-publish", route -> {
                route.weaveByToUri("bean:kafkaEventSender*").replace().to("mock:kafka");
                route.weaveByToUri("bean:artemisEventSender*").replace().to("mock:artemis");
            });
            camel.start();
        }
    }

    @Test
    void onlyLayerOneRoutesRun_andReadingsStillBecomeEventsOnTheBackbone() throws Exception {
        assertThat(policy.enabled()).containsExactly(1);
        List<String> started = camel.getRoutes().stream()
                .filter(r -> camel.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                .map(Route::getRouteId).toList();
        assertThat(started).contains("enrich-signal-asset-context", "production-interpret", "mes-event-publish",
                "tracking-dead-letter");
        for (Route route : camel.getRoutes()) {
            boolean layerOne = "1".equals(String.valueOf(route.getProperties().get("layer")));
            assertThat(started.contains(route.getRouteId())).as("route %s, layer %s, started", route.getRouteId(),
                    route.getProperties().get("layer")).isEqualTo(layerOne);
        }
        // control: layers 2 to 5 have routes in this hub, and the switches kept them stopped
        assertThat(policy.switchedOff()).containsKeys("ops-heartbeat", "analytics-feed-consume", "alerting-consume",
                "erp-confirmation-relay", "dashboard-live-feed");
        RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(camel);

        MockEndpoint kafka = camel.getEndpoint("mock:kafka", MockEndpoint.class);
        kafka.reset();
        Instant now = Instant.now();
        producer.sendBody(Endpoints.TELEMETRY_INTAKE,
                List.of(new SourceReading("plant-sim", "opcua://plant-sim", NODE, "running", 0L, now, now)));
        await("the machine's state on the backbone").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(kafka.getExchanges()).anySatisfy(e -> assertThat(e.getMessage().getBody(String.class))
                        .contains("io.millwright.machine-state.v1")));
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 50)).as("dead letters").isEmpty();
    }
}
