package io.millwright.ot.sparkplug;

import static io.millwright.ot.sparkplug.SparkplugPayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.SourceReading;
import io.millwright.ops.TelemetryPressure;
import io.millwright.testsupport.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Telemetry first for Sparkplug: Paho's callback thread only hands messages over; the host's worker
 * decodes them in order, and how full the hand-off is tells {@link TelemetryPressure} that the
 * telemetry is behind. The messages go straight into the host's MQTT callback, as Paho would call
 * it; the host's broker is a port nobody listens on, so nothing else arrives.
 */
class SparkplugHandoffTest {

    static final String GROUP = "mwtest-handoff-" + UUID.randomUUID().toString().substring(0, 8);
    final CountDownLatch flowReleased = new CountDownLatch(1);
    final List<Object> delivered = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SparkplugHost host;

    @AfterEach
    void stop() {
        flowReleased.countDown();
        if (host != null) {
            host.stop();
        }
    }

    // Before the hand-off the intake ran on Paho's thread: a slow flow held it, and nothing told the
    // side routes (which share the CPU) that Sparkplug decoding was behind.
    @Test
    void callbackReturnsAtOnce_fillShowsTheBacklog_andEveryReadingArrivesInOrder_whenTheFlowIsSlow() throws Exception {
        ProducerTemplate producer = mock(ProducerTemplate.class);
        doAnswer(call -> {
            flowReleased.await(30, TimeUnit.SECONDS); // the flow is stuck until the test releases it
            for (Object reading : (List<?>) call.getArgument(1)) {
                if ("Strokes".equals(((SourceReading) reading).nodeId())) {
                    delivered.add(reading);
                }
            }
            return null;
        }).when(producer).sendBody(eq(SparkplugRoutes.INGEST), any(Object.class));
        host = new SparkplugHost(new SparkplugProperties(true, "mwtest-handoff-" + UUID.randomUUID().toString().substring(0, 8),
                "tcp://127.0.0.1:" + FreePorts.next(), "", "", "", Duration.ofSeconds(30), Duration.ofSeconds(10), true, java.util.List.of()),
                new SparkplugSessions((source, connection, tag) -> "acme/" + connection.replace('/', '-'), true), producer, meters);
        TelemetryPressure pressure = new TelemetryPressure(0.02, Duration.ofSeconds(1));
        pressure.register(host.handoffFill());
        host.start();
        String topic = "spBv1.0/" + GROUP + "/";

        // 1 birth + 199 data messages: 200 of 4,096 = a fill of 0.049 while the flow is stuck
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            host.messageArrived(topic + "NBIRTH/press-1", new MqttMessage(payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                    .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                    .named("Strokes", 1L, MetricDataType.Int64, 0L).bytes()));
            for (long value = 1; value < 200; value++) {
                host.messageArrived(topic + "NDATA/press-1", new MqttMessage(payload(value % 256).alias(1, MetricDataType.Int64, value).bytes()));
            }
        }, "Paho's callback thread waited for the flow");

        assertThat(host.handoffFill().getAsDouble()).as("hand-off fill with the flow stuck").isGreaterThanOrEqualTo(198.0 / 4096);
        assertThat(pressure.behind()).as("the side routes are told the telemetry is behind").isTrue();
        assertThat(meters.get("millwright.sparkplug.handoff.fill").tag("connection", "sparkplug").gauge().value()).isPositive();

        flowReleased.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 200);
        assertThat(delivered).extracting(r -> ((Number) ((SourceReading) r).value()).longValue())
                .as("the birth's value, then the 199 data values in arrival order")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 200).boxed().toList());
        await().atMost(Duration.ofSeconds(5)).until(() -> host.handoffFill().getAsDouble() == 0);
        assertThat(pressure.behind()).as("control: caught up").isFalse();
    }

    // Camel wraps a flow's failure in "Exception occurred during execution on the exchange"; the
    // connection's status must name the real reason (here: a direct: endpoint without a route).
    @Test
    void lastErrorNamesTheRootCause_whenTheFlowRefusesTheReadings() throws Exception {
        ProducerTemplate producer = mock(ProducerTemplate.class);
        doThrow(new RuntimeException("Exception occurred during execution on the exchange: Exchange[1]",
                new IllegalStateException("No consumers available on endpoint: direct://ot-sparkplug-ingest")))
                .when(producer).sendBody(eq(SparkplugRoutes.INGEST), any(Object.class));
        host = new SparkplugHost(new SparkplugProperties(true, "mwtest-handoff-" + UUID.randomUUID().toString().substring(0, 8),
                "tcp://127.0.0.1:" + FreePorts.next(), "", "", "", Duration.ofSeconds(30), Duration.ofSeconds(10), true, java.util.List.of()),
                new SparkplugSessions((source, connection, tag) -> "acme/" + connection.replace('/', '-'), true), producer, meters);
        host.start(); // its connection is refused at once (counted); the next attempt is 5 s later

        host.messageArrived("spBv1.0/" + GROUP + "/NBIRTH/press-2", new MqttMessage(payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                .named("Strokes", 1L, MetricDataType.Int64, 0L).bytes()));

        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                .until(() -> String.valueOf(host.lastError()).contains("not delivered to the flow"));
        assertThat(host.lastError()).contains("not delivered to the flow").contains("No consumers available on endpoint: direct://ot-sparkplug-ingest");
    }
}
