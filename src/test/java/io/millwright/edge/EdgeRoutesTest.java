package io.millwright.edge;

import io.millwright.testsupport.RoutePrinciples;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.testsupport.MqttHubTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The edge analytics in the running hub, fed by an MQTT 5 source (messages from mosquitto_pub):
 * a deadband drops small changes before the telemetry flow, a rollup window becomes one
 * schema-valid signal-rollup event, and both run as routes of their own.
 */
class EdgeRoutesTest extends MqttHubTest {

    @Test
    void deadbandDropsSmallChanges_rollupPublishesItsWindow_asRoutesOfTheirOwn() throws Exception {
        String topic = TOPIC_ROOT + "/v5/line-4/oven-3/telemetry";
        String pressure = topic + "/deadband/pressure";
        for (double v : new double[] {10.0, 10.4, 11.0, 11.5, 9.0}) {
            pub(topic, "{\"deadband\": {\"pressure\": " + v + "}}");
        }
        // band 1.0: 10.4 (0.4) and 11.0 (exactly 1.0) are dropped, 11.5 (1.5) and 9.0 (2.5) pass
        List<JsonNode> passed = awaitEvents(e -> e.path("data").path("tag").asText().equals(pressure), 3);
        assertThat(passed).extracting(e -> e.path("data").path("value").asDouble()).containsExactly(10.0, 11.5, 9.0);

        pub(topic, "{\"rollup\": {\"speed\": 1}, \"timestamp\": \"2026-11-30T10:00:00.100Z\"}");
        pub(topic, "{\"rollup\": {\"speed\": 4}, \"timestamp\": \"2026-11-30T10:00:00.600Z\"}");
        pub(topic, "{\"rollup\": {\"speed\": 7}, \"timestamp\": \"2026-11-30T10:00:00.900Z\"}");
        JsonNode rollup = awaitEvents(e -> e.path("type").asText().equals("io.millwright.signal-rollup.v1")
                && e.path("data").path("tag").asText().equals(topic + "/rollup/speed"), 1).get(0);
        assertThat(rollup.path("subject").asText()).isEqualTo("acme/springfield/mqtt/line-4/oven-3");
        assertThat(rollup.path("source").asText()).isEqualTo("mqtt://" + SOURCE_V5);
        JsonNode data = rollup.path("data");
        assertThat(data.path("windowStart").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(data.path("windowEnd").asText()).isEqualTo("2026-11-30T10:00:01Z");
        assertThat(data.path("count").asLong()).isEqualTo(3);
        assertThat(data.path("min").asDouble()).isEqualTo(1.0);
        assertThat(data.path("max").asDouble()).isEqualTo(7.0);
        assertThat(data.path("avg").asDouble()).isEqualTo(4.0);
        assertThat(data.path("last").asDouble()).isEqualTo(7.0);

        // routes of their own (JMX statistics in Hawtio; JMX is off in tests)
        assertThat(camel.getRouteController().getRouteStatus("edge-filter").isStarted()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("edge-rollup-publish").isStarted()).isTrue();
    }

    private static void pub(String topic, String message) throws Exception {
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-V", "mqttv5", "-q", "1",
                "-t", topic, "-m", message).redirectErrorStream(true).start();
        assertThat(pub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    // the Sparkplug, MQTT and edge routes name their layer (1) and outcome like every other route
    @Test
    void everyRouteDeclaresItsLayerAndOutcome() {
        RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(camel);
    }
}
