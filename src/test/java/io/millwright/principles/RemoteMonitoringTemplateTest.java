package io.millwright.principles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.DataGap;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.OrderOperationEvent;
import io.millwright.ops.RouteFiles;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.SideRouteHubTest;
import io.millwright.testsupport.WebhookReceiver;
import io.millwright.testsupport.RoutePrinciples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hub started with the one setting {@code millwright.solution=remote-monitoring} (a {@link SideRouteHubTest}: Kafka's consumers
 * replaced by direct endpoints, the brokers by mocks), checked for what the template promises
 * (config/solutions/remote-monitoring/): its alert rule rm-limit-alarm raises an alert at the webhook,
 * its own flow rm-data-gap-notice (loaded from the template's routes/ folder, layer 5) says a data gap
 * in the log, its settings are on, and GET /api/solutions names it with its panels.
 */
@TestPropertySource(properties = {
    // the one setting under test
    "millwright.solution=remote-monitoring",
    "millwright.security.admin-password=test-admin-Secret-12",
    "millwright.security.viewer-password=" + RemoteMonitoringTemplateTest.VIEWER_PASSWORD
})
class RemoteMonitoringTemplateTest extends SideRouteHubTest {

    static final String VIEWER_PASSWORD = "test-viewer-Secret-12";
    private static final String ASSET = "acme/springfield/assembly/line-1/machine-2";
    private static final WebhookReceiver WEBHOOK = WebhookReceiver.start();

    @AfterAll
    static void stopWebhook() {
        WEBHOOK.close();
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("millwright.data-dir", () -> HubTestProperties.newDataDir("remote-monitoring"));
        registry.add("millwright.alerting.webhook-url", WEBHOOK::url);
    }

    @Autowired RouteFiles routeFiles;
    @Autowired org.springframework.core.env.Environment environment;

    // the template's rule rm-limit-alarm: a limit alarm raised on a remote machine is an alert at once
    @Test
    void limitAlarmRaised_isAnAlertByTheTemplatesRule() throws Exception {
        producer.sendBody(ALERTING_IN, """
                {"specversion":"1.0","id":"alarm-%s","type":"io.millwright.alarm.v1","source":"opcua://plant-sim",
                 "subject":"%s","time":"%s","data":{"alarmId":"temp-high","tag":"temperature","status":"RAISED",
                 "limit":"HIGH","limitValue":80.0,"value":86.5,"unit":"CEL","raisedAt":"%s"}}"""
                .formatted(System.nanoTime(), ASSET, Instant.now(), Instant.now()).getBytes(StandardCharsets.UTF_8));

        List<JsonNode> posted = await("the template's alert at the webhook").atMost(Duration.ofSeconds(30))
                .until(this::webhookAlerts, list -> !list.isEmpty());
        assertThat(posted.get(0).path("data").path("rule").asText()).isEqualTo("rm-limit-alarm");
        assertThat(posted.get(0).path("data").path("status").asText()).isEqualTo("RAISED");
        assertThat(posted.get(0).path("data").path("severity").asText()).isEqualTo("warning");
    }

    // the template's own flow, from config/solutions/remote-monitoring/routes/: a data gap published by
    // the hub is said in the log at WARN with its connection and reason; other events are not
    @Test
    void templateRouteFile_isLoadedAtLayerFive_andSaysADataGapInTheLog() {
        Path folder = Path.of("config/solutions/remote-monitoring/routes");
        assertThat(routeFiles.additionalDirectories()).containsExactly(folder);
        assertThat(routeFiles.statuses(folder)).singleElement().satisfies(status -> {
            assertThat(status.routeIds()).containsExactly("rm-data-gap-notice");
            assertThat(status.isRejected()).as("rejected: %s", status.lastError()).isFalse();
        });
        Route route = camel.getRoute("rm-data-gap-notice");
        assertThat(route).isNotNull();
        assertThat(route.getProperties()).containsEntry("layer", "5").containsEntry("outcome", "predictability");
        assertThat(camel.getRouteController().getRouteStatus("rm-data-gap-notice")).isEqualTo(ServiceStatus.Started);
        RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(camel);

        Logger logger = (Logger) LoggerFactory.getLogger("io.millwright.flows.rm-data-gap-notice");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Instant end = Instant.now();
            EventEnvelope<DataGap> gap = EventEnvelope.of(EventType.DATA_GAP, "opcua://remote-site-4", ASSET, end, null,
                    new DataGap("opcua://remote-site-4", "remote-site-4", end.minusSeconds(95), end, List.of(ASSET),
                            "no session: the site's uplink is down"));
            EventEnvelope<OrderOperationEvent> other = EventEnvelope.of(EventType.ORDER_COMPLETED, "millwright://dispatch", ASSET, end,
                    null, new OrderOperationEvent("4711", "0010", "dispatch", end.minusSeconds(600), end, "d-1"));
            producer.sendBody(Endpoints.EVENT_FEED, List.of(other, gap));

            await("the data gap in the log").atMost(Duration.ofSeconds(10))
                    .until(() -> !lines.list.isEmpty());
            // control: only the gap is said, once
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> lines.list.size() == 1);
            ILoggingEvent line = lines.list.get(0);
            assertThat(line.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(line.getFormattedMessage()).contains("Data gap connection=remote-site-4",
                    "from=" + end.minusSeconds(95), "assets=1", "reason=no session: the site's uplink is down");
        } finally {
            logger.detachAppender(lines);
        }
    }

    // the template's settings are on (rollups, lake, alerting), and the API names it with the panels it uses
    @Test
    void solutionsApi_namesTheTemplateWithItsPanelsRulesAndRoutes() throws Exception {
        assertThat(environment.getProperty("millwright.analytics.rollups.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("millwright.analytics.lake.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("millwright.alerting.enabled")).isEqualTo("true");

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/solutions"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("viewer:" + VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode active = json.readTree(answer.body()).path("active");
        assertThat(active).hasSize(1);
        assertThat(active.get(0).path("name").asText()).isEqualTo("remote-monitoring");
        List<String> panels = new ArrayList<>();
        active.get(0).path("panels").forEach(p -> panels.add(p.asText()));
        assertThat(panels).containsExactly("health", "alerts", "plant", "outcomes");
        assertThat(active.get(0).path("alertRules").asText()).endsWith("remote-monitoring/alert-rules.yaml");
        assertThat(active.get(0).path("routes").asText()).endsWith("remote-monitoring/routes");
    }

    private List<JsonNode> webhookAlerts() throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        for (String body : WEBHOOK.bodies()) {
            JsonNode alert = json.readTree(body);
            if (alert.path("data").path("key").asText().startsWith(ASSET)) {
                alerts.add(alert);
            }
        }
        return alerts;
    }
}
