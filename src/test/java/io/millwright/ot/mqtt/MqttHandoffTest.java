package io.millwright.ot.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.ops.ErrorPolicies;
import io.millwright.ops.TelemetryPressure;
import io.millwright.testsupport.MqttTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Telemetry first for plain MQTT sources, against Mosquitto: the MQTT client's thread only queues a
 * message; the mapping and the flow run on the hand-off's own thread, in arrival order. With the flow
 * stuck, the hand-off fills up (its gauge and {@link TelemetryPressure} see it), then the client
 * thread waits with the next message rather than dropping it; released, every message arrives once.
 */
class MqttHandoffTest {

    static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String SOURCE = "handoff-" + RUN;
    static final String TOPIC = "mwtest/" + RUN + "/handoff";
    static final int CAPACITY = 8;
    static final int MESSAGES = 20;

    final CountDownLatch flowReleased = new CountDownLatch(1);
    final List<Long> delivered = new CopyOnWriteArrayList<>();
    final List<String> flowThreads = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TelemetryPressure pressure = new TelemetryPressure(0.5, Duration.ofSeconds(1));
    CamelContext camel;

    @AfterEach
    void stop() {
        flowReleased.countDown();
        if (camel != null) {
            camel.stop();
        }
    }

    // Before the hand-off the mapping, the edge filters and the intake ran on the MQTT client's callback
    // thread: a slow flow held the client, and nothing told the side routes that the telemetry was behind.
    @Test
    void clientThreadOnlyQueues_fullHandoffHoldsIt_fillIsSeen_andEveryMessageArrivesInOrder() throws Exception {
        String broker = MqttTestBroker.ensureRunning();
        ObjectMapper json = new ObjectMapper();
        MqttIngestRoutes routes = new MqttIngestRoutes(null, null, json, null, meters, pressure, CAPACITY);
        MqttSourcesProperties.Source source = new MqttSourcesProperties.Source(broker, "5", List.of(TOPIC + "/#"), "", 1, "", "", "");
        camel = new DefaultCamelContext();
        camel.addRoutes(new ErrorPolicies());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                routes.define(this, SOURCE, source, new MqttJsonMapping(SOURCE, null, json), null, new MqttSources.Stats());
                from(Endpoints.EDGE_FILTER).routeId("test-flow").process(exchange -> {
                    flowThreads.add(Thread.currentThread().getName());
                    if (!flowReleased.await(60, TimeUnit.SECONDS)) { // the flow is stuck until the test releases it
                        throw new IllegalStateException("the test never released the flow");
                    }
                    for (Object reading : exchange.getMessage().getBody(List.class)) {
                        delivered.add(((Number) ((SourceReading) reading).value()).longValue());
                    }
                });
                from(Endpoints.DEAD_LETTER).to("mock:dead-letters");
            }
        });
        camel.start();
        String mqttRoute = MqttIngestRoutes.routeId(SOURCE, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute(mqttRoute).getConsumer() instanceof
                org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer c && c.getClient() != null && c.getClient().isConnected());

        MqttClient gateway = new MqttClient(broker, "mwtest-gw-" + RUN, new MemoryPersistence());
        // room for every message in flight: Paho 3's synchronous publish can still count ten QoS 1 publishes in
        // flight (its default window) and refuse the next ("Too many publishes in progress", failed once in a full run)
        MqttConnectOptions gatewayOptions = new MqttConnectOptions();
        gatewayOptions.setMaxInflight(MESSAGES);
        gateway.connect(gatewayOptions);
        try {
            for (int seq = 1; seq <= MESSAGES; seq++) {
                gateway.publish(TOPIC + "/line-1", ("{\"seq\": " + seq + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            }
        } finally {
            gateway.disconnect();
            gateway.close();
        }

        // the flow holds message 1, the hand-off 2..9, the client thread message 10: it waits, nothing is dropped
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.get("millwright.mqtt.handoff.fill").tag("source", SOURCE)
                .gauge().value() == 1.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getInflightRepository().size(mqttRoute) == 1);
        assertThat(pressure.behind()).as("the side routes are told the telemetry is behind").isTrue();
        // the hand-off's consumer took message 1 before the queue filled; it may still be on its way into the flow
        await().atMost(Duration.ofSeconds(10)).until(() -> !flowThreads.isEmpty());
        assertThat(flowThreads).as("the flow runs on the hand-off's thread, not the MQTT client's")
                .singleElement().asString().contains("seda://ot-mqtt-" + SOURCE).doesNotContain("MQTT");

        flowReleased.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == MESSAGES);
        assertThat(delivered).as("every message once, in arrival order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).mapToObj(Long::valueOf).toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> !pressure.behind());
        assertThat(meters.get("millwright.mqtt.handoff.fill").tag("source", SOURCE).gauge().value()).isZero();
        assertThat(camel.getEndpoint("mock:dead-letters", MockEndpoint.class).getReceivedCounter()).as("nothing dead-lettered").isZero();

        // a source removed at runtime takes its hand-off off the meters and the pressure
        routes.removeHandoff(SOURCE);
        assertThat(meters.find("millwright.mqtt.handoff.fill").tag("source", SOURCE).gauge()).isNull();
    }
}
