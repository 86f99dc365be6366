package io.millwright.alerting;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.edge.link.EdgeLinkFixtures;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import io.millwright.ops.TelemetryPressure;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local alerting on an edge hub, which has no Kafka: the alerting route reads the events the hub
 * publishes on its embedded Artemis ({@code millwright.events.<type>}), published by the hub's own
 * {@link ArtemisEventSender} as an edge runs it (signals as one CloudEvents batch message). The
 * repository's own rule {@code machine-down} and a limit rule on a signal; alerts are kept in the
 * store (H2 with the hub's migrations), POSTed to a local webhook and published as alert events.
 */
class EdgeAlertingTest {

    static final ObjectMapper JSON = EdgeLinkFixtures.JSON;
    static final String CELL = "acme/plant-1/press/line-1/cell-1";

    @TempDir Path dir;
    EmbeddedArtemisBroker broker;
    ArtemisEventSender sender;
    DefaultCamelContext camel;
    TestDatabase database;
    HttpServer webhook;
    final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    final List<JsonNode> published = new CopyOnWriteArrayList<>();
    AlertStore store;
    // how full the telemetry hand-off is: behind from 0.5 (telemetry first, TelemetryFirstPolicy)
    final AtomicReference<Double> telemetryFill = new AtomicReference<>(0.0);
    final TelemetryPressure pressure = new TelemetryPressure(0.5, Duration.ofMillis(400));

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dir, EdgeLinkFixtures.HUB, EdgeLinkFixtures.MES, List.of());
        broker.start();
        sender = EdgeLinkFixtures.sender(broker);
        database = TestDatabase.h2();
        store = new AlertStore(database.jdbc());
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            posted.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();

        // the shipped rules (machine-down) and a limit rule on a signal, which arrives in a batch message
        Path rules = dir.resolve("alert-rules.yaml");
        Files.writeString(rules, Files.readString(Path.of("analytics-bridge/alert-rules.yaml")) + """

                  - name: press-overheated
                    on: signal
                    when: { field: data.value, above: 90 }
                    for: 0s
                    severity: critical
                    dedup: [subject, data.tag]
                    clear-when: { field: data.value, below: 80 }
                """);
        AlertEngine engine = new AlertEngine(AlertRules.read(rules));
        AlertingProperties settings = new AlertingProperties(true, "millwright-alerting", rules.toString(), "",
                Duration.ofSeconds(5), 1, "none.yaml", List.of());
        List<AlertChannel> channels = List.of(new WebhookChannel("webhook", false,
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook", Duration.ofSeconds(5), 1, Set.of()));

        camel = new DefaultCamelContext();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.acceptorUri(),
                EdgeLinkFixtures.HUB.user(), EdgeLinkFixtures.HUB.password());
        camel.addComponent("jms", JmsComponent.jmsComponent(factory));
        camel.addRoutes(new AlertingRoute(engine, channels, store, settings, JSON, "jms", pressure));
        pressure.register(telemetryFill::get);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Endpoints.EVENT_PUBLISH).process(exchange -> {
                    for (Object alert : exchange.getMessage().getBody(List.class)) {
                        published.add(JSON.valueToTree(alert));
                    }
                });
            }
        });
        camel.start();
        // the rules subscribe to the two types they watch; wait until the broker has both subscribers
        await().atMost(ofSeconds(20)).until(() -> subscribers("machine-state") > 0 && subscribers("signal") > 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (sender != null) {
            sender.destroy();
        }
        if (broker != null) {
            broker.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void alertsAreRaisedAndClearedFromArtemisEvents_withoutKafka() throws Exception {
        assertThat(camel.getRoute("alerting-consume-machine-state")).isNotNull();
        assertThat(camel.getRoute("alerting-consume-signal")).isNotNull();

        sender.send(List.of(EdgeLinkFixtures.machineState(CELL, MachineState.DOWN)));
        sender.send(List.of(signal(CELL, 85.0), signal("acme/plant-1/press/line-1/cell-2", 20.0), signal(CELL, 95.5)));

        await().atMost(ofSeconds(20)).until(() -> published.size() == 2 && posted.size() == 2);
        assertThat(published).extracting(event -> event.at("/data/rule").asText() + " " + event.at("/data/status").asText())
                .containsExactlyInAnyOrder("machine-down RAISED", "press-overheated RAISED");
        assertThat(published).allSatisfy(event -> {
            assertThat(event.path("type").asText()).isEqualTo("io.millwright.alert.v1");
            assertThat(event.path("subject").asText()).isEqualTo(CELL);
        });
        assertThat(posted).extracting(event -> event.path("id").asText())
                .containsExactlyInAnyOrderElementsOf(published.stream().map(event -> event.path("id").asText()).toList());
        assertThat(store.open()).extracting(AlertStore.StoredAlert::rule).containsExactlyInAnyOrder("machine-down", "press-overheated");

        sender.send(List.of(EdgeLinkFixtures.machineState(CELL, MachineState.RUNNING)));
        sender.send(List.of(signal(CELL, 70.0)));

        await().atMost(ofSeconds(20)).until(() -> published.size() == 4);
        assertThat(published.subList(2, 4)).extracting(event -> event.at("/data/rule").asText() + " " + event.at("/data/status").asText())
                .containsExactlyInAnyOrder("machine-down CLEARED", "press-overheated CLEARED");
        assertThat(store.open()).isEmpty();
        assertThat(pressure.waitedMillis()).as("control: telemetry not behind, no waiting").isZero();
    }

    // like the analytics feed, the alerting route waits (bounded) while the telemetry is behind
    @Test
    void alertingWaitsForTheTelemetry_whileItIsBehind_thenEvaluatesAnyway() throws Exception {
        telemetryFill.set(1.0);

        sender.send(List.of(EdgeLinkFixtures.machineState(CELL, MachineState.DOWN)));

        await().atMost(ofSeconds(20)).until(() -> published.size() == 1);
        assertThat(published.get(0).at("/data/rule").asText()).isEqualTo("machine-down");
        assertThat(pressure.waitedMillis()).as("ms the alerting route yielded to the telemetry").isGreaterThanOrEqualTo(380);
    }

    private int subscribers(String type) throws Exception {
        var bindings = broker.server().getPostOffice().getBindingsForAddress(SimpleString.of("millwright.events." + type));
        return bindings == null ? 0 : bindings.getBindings().size();
    }

    private static io.millwright.mes.OutgoingEvent signal(String asset, double value) throws Exception {
        return EdgeLinkFixtures.outgoing(EventEnvelope.of(EventType.SIGNAL, "opcua://edge-1", asset, Instant.now(), null,
                new Signal("temperature", value, "Cel", Quality.GOOD, "0x00000000")));
    }
}
