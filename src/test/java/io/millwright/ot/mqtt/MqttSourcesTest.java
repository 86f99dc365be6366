package io.millwright.ot.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.testsupport.MqttHubTest;
import io.millwright.testsupport.MqttTestBroker;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterResubmitter;
import io.millwright.tracking.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Plain MQTT JSON sources against Mosquitto: an MQTT 5 source with the built-in mapping fed by
 * {@code mosquitto_pub} (a client nobody here wrote), an MQTT 3.1.1 source with a JSONata mapping
 * fed by Paho; topics to assets by rules; a message that is not JSON dead-lettered and resubmittable.
 */
class MqttSourcesTest extends MqttHubTest {

    static final String OVEN = "acme/springfield/mqtt/line-4/oven-2";

    @Autowired DeadLetterStore deadLetters;
    @Autowired DeadLetterResubmitter resubmitter;

    @Test
    void mqtt5MessageOfBuiltInMapping_becomesSignalsOfTheTopicsAsset() throws Exception {
        String topic = TOPIC_ROOT + "/v5/line-4/oven-2/telemetry";
        String source = "mqtt://" + SOURCE_V5;
        mosquittoPub("mqttv5", topic, "{\"temperature\": 181.5, \"door\": {\"open\": false}, \"timestamp\": \"2026-11-30T10:00:00Z\"}");

        List<JsonNode> signals = awaitEvents(e -> e.path("source").asText().equals(source), 2);
        JsonNode temperature = tag(signals, topic + "/temperature");
        assertThat(temperature.path("subject").asText()).isEqualTo(OVEN);
        assertThat(temperature.path("time").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(temperature.path("data").path("value").asDouble()).isEqualTo(181.5);
        assertThat(temperature.path("data").path("unit").asText()).isEqualTo("CEL");
        JsonNode door = tag(signals, topic + "/door/open");
        assertThat(door.path("subject").asText()).isEqualTo(OVEN);
        assertThat(door.path("data").path("value").asBoolean()).isFalse();
        // control: the timestamp field is the time, not a signal
        assertThat(signals).noneMatch(e -> e.path("data").path("tag").asText().endsWith("/timestamp"));
    }

    @Test
    void mqtt311MessageOfJsonataMapping_becomesOneSignalPerReading() throws Exception {
        String topic = TOPIC_ROOT + "/v3/line-4";
        String source = "mqtt://" + SOURCE_V3;
        MqttClient gateway = new MqttClient(MqttTestBroker.URL, "mwtest-gw-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        gateway.connect(options);
        try {
            gateway.publish(topic, ("{\"machine\": \"oven-2\", \"readings\": [{\"name\": \"fan\", \"v\": 1450, \"ts\": \"2026-11-30T11:00:00Z\"},"
                    + " {\"name\": \"state\", \"v\": \"heating\"}]}").getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            gateway.disconnect();
            gateway.close();
        }
        List<JsonNode> signals = awaitEvents(e -> e.path("source").asText().equals(source), 2);
        JsonNode fan = tag(signals, topic + "/oven-2/fan");
        assertThat(fan.path("subject").asText()).isEqualTo(OVEN);
        assertThat(fan.path("data").path("value").asLong()).isEqualTo(1450);
        assertThat(fan.path("time").asText()).isEqualTo("2026-11-30T11:00:00Z");
        assertThat(tag(signals, topic + "/oven-2/state").path("data").path("value").asText()).isEqualTo("heating");
    }

    @Test
    void messageThatIsNotJson_deadLetteredWithReason_andResubmittable() throws Exception {
        String topic = TOPIC_ROOT + "/v5/line-4/oven-9/telemetry";
        mosquittoPub("mqttv5", topic, "temperature=181.5");

        DeadLetter parked = await().atMost(Duration.ofSeconds(30)).until(
                () -> deadLetters.list(DeadLetter.Status.PARKED, 100).stream()
                        .filter(d -> d.payload() != null && d.payload().contains(topic)).findFirst().orElse(null),
                d -> d != null);
        assertThat(parked.reason()).contains("payload").contains("is not JSON");
        assertThat(parked.routeId()).isEqualTo("ot-" + SOURCE_V5 + "-mqtt-map");
        // the hand-off by its plain name: a changed capacity (or other option) of the hand-off orphans no dead letter
        assertThat(parked.endpointUri()).isEqualTo("seda:ot-mqtt-" + SOURCE_V5);
        assertThat(events()).noneMatch(e -> e.toString().contains("oven-9"));

        resubmitter.resubmit(parked.id());
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list(DeadLetter.Status.PARKED, 100).stream()
                .anyMatch(d -> d.id() > parked.id() && d.payload().contains(topic) && d.reason().equals(parked.reason())));
    }

    // dead letters written before the plain resubmit point named direct:ot-mqtt-<id>; an upgrade must not strand them
    @Test
    void deadLettersOfEitherResubmitPoint_resubmitThroughTheMapping() throws Exception {
        String source = "mqtt://" + SOURCE_V5;
        String older = TOPIC_ROOT + "/v5/line-4/oven-7/telemetry";
        String plain = TOPIC_ROOT + "/v5/line-4/oven-8/telemetry";
        long olderId = deadLetters.park("ot-" + SOURCE_V5 + "-mqtt-map", "direct:ot-mqtt-" + SOURCE_V5, "parked by an older version",
                IllegalStateException.class.getName(), null, wrapped(older, 71.5), null);
        long plainId = deadLetters.park("ot-" + SOURCE_V5 + "-mqtt-map", "seda:ot-mqtt-" + SOURCE_V5, "parked by this version",
                IllegalStateException.class.getName(), null, wrapped(plain, 82.5), null);

        assertThat(resubmitter.resubmit(olderId).status()).isEqualTo(DeadLetter.Status.RESUBMITTED);
        assertThat(resubmitter.resubmit(plainId).status()).isEqualTo(DeadLetter.Status.RESUBMITTED);

        List<JsonNode> signals = awaitEvents(e -> e.path("source").asText().equals(source)
                && (e.path("data").path("tag").asText().startsWith(older) || e.path("data").path("tag").asText().startsWith(plain)), 2);
        assertThat(tag(signals, older + "/temperature").path("data").path("value").asDouble()).isEqualTo(71.5);
        assertThat(tag(signals, plain + "/temperature").path("data").path("value").asDouble()).isEqualTo(82.5);
        assertThat(tag(signals, older + "/temperature").path("subject").asText()).isEqualTo("acme/springfield/mqtt/line-4/oven-7");
    }

    /** A dead letter's payload as the mapping route parks it: topic, payload text, receive time. */
    private static String wrapped(String topic, double temperature) {
        return "{\"topic\": \"" + topic + "\", \"payload\": \"{\\\"temperature\\\": " + temperature
                + "}\", \"receivedTime\": \"2026-11-30T12:00:00Z\"}";
    }

    private static JsonNode tag(List<JsonNode> events, String tag) {
        return events.stream().filter(e -> e.path("data").path("tag").asText().equals(tag)).findFirst()
                .orElseThrow(() -> new AssertionError("no signal of " + tag + " among " + events));
    }

    /** Publishes with Mosquitto's own client (QoS 1), a peer nobody here wrote. */
    private static void mosquittoPub(String version, String topic, String message) throws Exception {
        Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-V", version, "-q", "1",
                "-t", topic, "-m", message).redirectErrorStream(true).start();
        assertThat(pub.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
        assertThat(pub.exitValue()).as("mosquitto_pub: " + new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }
}
