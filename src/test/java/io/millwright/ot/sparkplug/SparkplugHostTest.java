package io.millwright.ot.sparkplug;

import static io.millwright.ot.sparkplug.SparkplugPayloads.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.AssetLookup;
import io.millwright.testsupport.MqttHubTest;
import io.millwright.testsupport.MqttTestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Sparkplug B host in the hub against the machine's Mosquitto broker, with an edge node in the
 * test publishing Tahu-encoded payloads: births and data by alias through the hub's own telemetry
 * flow (asset rules, production counting), death by the edge node's will -> BAD signals and a
 * data-gap event, sequence gap and unknown alias -> rebirth requests, STATE retained with its will.
 * Kafka and Artemis are replaced by mocks; groups and host ids are unique per run.
 */
class SparkplugHostTest extends MqttHubTest {

    static final String PRESS = "acme/springfield/sparkplug/line-1/press-3";

    @Autowired SparkplugHost host;
    @Autowired SparkplugProperties settings;
    @Autowired ProducerTemplate producer;
    @Autowired AssetLookup assets;
    @Autowired MeterRegistry meters;

    @BeforeEach
    void hostConnected() {
        await().atMost(Duration.ofSeconds(30)).until(host::isConnected);
    }

    @Test
    void birthDataByAlias_deathByWill_thenRebirth_givesSignalsCountsBadSignalsAndOneDataGap() throws Exception {
        String node = "line-1";
        String device = "press-3";
        String nodeSource = "sparkplug://" + GROUP + "/" + node;
        String deviceSource = nodeSource + "/" + device;
        try (TestEdgeNode edge = new TestEdgeNode(MqttTestBroker.URL, GROUP, node, 0)) {
            edge.publish("NBIRTH", null, payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                    .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                    .named("Uptime", 1L, MetricDataType.Int64, 10L).bytes());
            edge.publish("DBIRTH", device, payload(1)
                    .named("Production/Order", 12L, MetricDataType.String, "1000777")
                    .named("Production/Operation", 13L, MetricDataType.String, "0010")
                    .named("Production/GoodCount", 10L, MetricDataType.UInt32, 100L)
                    .named("Process/Temperature", 11L, MetricDataType.Float, 40.5f).bytes());

            List<JsonNode> births = awaitEvents(e -> e.path("source").asText().startsWith(nodeSource), 5);
            JsonNode uptime = only(births, nodeSource, "Uptime");
            // unmapped: still published, with the Sparkplug subject, and listed once
            assertThat(uptime.path("subject").asText()).isEqualTo("sparkplug/" + GROUP + "/" + node);
            assertThat(uptime.path("data").path("value").asLong()).isEqualTo(10);
            JsonNode temperature = only(births, deviceSource, "Process/Temperature");
            assertThat(temperature.path("subject").asText()).isEqualTo(PRESS);
            assertThat(temperature.path("data").path("value").asDouble()).isEqualTo(40.5);
            assertThat(temperature.path("data").path("unit").asText()).isEqualTo("CEL");
            assertThat(temperature.path("data").path("quality").asText()).isEqualTo("GOOD");
            // control: the node's own bookkeeping metrics are not signals
            assertThat(births).noneMatch(e -> e.path("data").path("tag").asText().equals("bdSeq")
                    || e.path("data").path("tag").asText().startsWith("Node Control/"));

            // DATA carries aliases only; the counter's increase becomes a production count for the order
            edge.publish("DDATA", device, payload(2).alias(10, MetricDataType.UInt32, 103L).alias(11, MetricDataType.Float, 41.0f).bytes());
            JsonNode count = awaitEvents(e -> e.path("type").asText().equals("io.millwright.production-count.v1")
                    && e.path("subject").asText().equals(PRESS), 1).get(0);
            assertThat(count.path("source").asText()).isEqualTo(deviceSource);
            assertThat(count.path("data").path("delta").asLong()).isEqualTo(3);
            assertThat(count.path("data").path("orderId").asText()).isEqualTo("1000777");
            assertThat(count.path("data").path("unit").asText()).isEqualTo("PC");

            // the edge node's connection drops: the broker publishes its will, the NDEATH with bdSeq 0
            edge.crash();
        }
        List<JsonNode> bad = awaitEvents(e -> e.path("source").asText().startsWith(nodeSource)
                && e.path("data").path("quality").asText().equals("BAD"), 5);
        assertThat(bad).extracting(e -> e.path("data").path("tag").asText()).containsExactlyInAnyOrder(
                "Uptime", "Production/Order", "Production/Operation", "Production/GoodCount", "Process/Temperature");
        assertThat(bad).allSatisfy(e -> {
            assertThat(e.path("data").has("value")).isFalse();
            assertThat(e.path("data").path("statusCode").asText()).isEqualTo("0x80310000");
        });
        assertThat(eventsOf("io.millwright.data-gap.v1")).noneMatch(e -> e.path("source").asText().equals(nodeSource));

        // a new session (bdSeq 1) births again: the gap is reported once, naming the node and its assets
        try (TestEdgeNode edge = new TestEdgeNode(MqttTestBroker.URL, GROUP, node, 1)) {
            edge.publish("NBIRTH", null, payload(0).named("bdSeq", null, MetricDataType.Int64, 1L)
                    .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                    .named("Uptime", 1L, MetricDataType.Int64, 0L).bytes());
            JsonNode gap = awaitEvents(e -> e.path("type").asText().equals("io.millwright.data-gap.v1")
                    && e.path("source").asText().equals(nodeSource), 1).get(0);
            assertThat(gap.path("data").path("connection").asText()).isEqualTo(GROUP + "/" + node);
            assertThat(gap.path("data").path("assetPaths")).extracting(JsonNode::asText)
                    .containsExactly(PRESS, "sparkplug/" + GROUP + "/" + node);
            assertThat(gap.path("data").path("reason").asText()).contains("NDEATH bdSeq 0");
            assertThat(java.time.Instant.parse(gap.path("data").path("end").asText()))
                    .isAfterOrEqualTo(java.time.Instant.parse(gap.path("data").path("start").asText()));
        }
    }

    @Test
    void sequenceGapAndUnknownAliasEachRequestARebirth_counted() throws Exception {
        String node = "line-9";
        try (TestEdgeNode edge = new TestEdgeNode(MqttTestBroker.URL, GROUP, node, 0)) {
            byte[] birth = payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                    .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                    .named("Speed", 1L, MetricDataType.Double, 1.0).bytes();
            edge.publish("NBIRTH", null, birth);
            edge.publish("NDATA", null, payload(1).alias(1, MetricDataType.Double, 2.0).bytes());
            // seq 2 and 3 lost
            edge.publish("NDATA", null, payload(4).alias(1, MetricDataType.Double, 5.0).bytes());
            assertRebirthRequested(edge);
            // another test's cached hub may answer the edge node first: wait for this host's own count
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meterCount("sequence-gap")).isGreaterThanOrEqualTo(1.0));

            edge.publish("NBIRTH", null, birth);
            edge.publish("NDATA", null, payload(1).alias(77, MetricDataType.Double, 2.0).bytes());
            assertRebirthRequested(edge);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(meterCount("unknown-alias")).isGreaterThanOrEqualTo(1.0));
            // control: in order, known aliases: no request from this host. Counted by its meters, not on the
            // wire: a host of another test run on the shared broker that takes every group (a branch without
            // group-ids) may still answer this node, and its NCMD cannot be told from this host's
            double requestedBefore = totalRebirthRequests();
            edge.publish("NBIRTH", null, birth);
            edge.publish("NDATA", null, payload(1).alias(1, MetricDataType.Double, 3.0).bytes());
            edge.publish("NDATA", null, payload(2).alias(1, MetricDataType.Double, 4.0).bytes());
            // the host decodes one message after the other: once seq 2 is published, seq 1 was wholly handled
            awaitEvents(e -> e.path("data").path("tag").asText().equals("Speed") && e.path("data").path("value").asDouble() == 4.0, 1);
            assertThat(totalRebirthRequests()).as("rebirth requests of this host after an in-order NDATA").isEqualTo(requestedBefore);
        }
    }

    @Test
    void stateRetainedOnline_andWillSaysOfflineWithTheConnectTimestamp() throws Exception {
        JsonNode online = json.readTree(retained(settings.stateTopic()));
        assertThat(online.path("online").asBoolean()).isTrue();
        assertThat(online.path("timestamp").asLong()).isPositive();

        // a second host that crashes: the broker's retained STATE becomes its will
        String otherId = HOST_ID + "-b";
        var other = new SparkplugHost(new SparkplugProperties(true, otherId, MqttTestBroker.URL, "", "", "",
                Duration.ofSeconds(30), Duration.ofSeconds(10), true, java.util.List.of(GROUP)), new SparkplugSessions(assets, true), producer, meters);
        other.start();
        await().atMost(Duration.ofSeconds(30)).until(other::isConnected);
        JsonNode otherOnline = awaitState("spBv1.0/STATE/" + otherId, true);
        other.dropConnectionUncleanly();
        JsonNode will = awaitState("spBv1.0/STATE/" + otherId, false);
        assertThat(will.path("timestamp").asLong()).isEqualTo(otherOnline.path("timestamp").asLong());
        clearRetained("spBv1.0/STATE/" + otherId);
    }

    private void assertRebirthRequested(TestEdgeNode edge) throws Exception {
        byte[] command = edge.commands.poll(30, TimeUnit.SECONDS);
        assertThat(command).as("NCMD rebirth request").isNotNull();
        List<Metric> metrics = new SparkplugBPayloadDecoder().buildFromByteArray(command, null).getMetrics();
        assertThat(metrics).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("Node Control/Rebirth");
            assertThat(m.getValue()).isEqualTo(true);
        });
    }

    private double totalRebirthRequests() {
        return meters.find("millwright.sparkplug.rebirth.requests").tag("connection", SparkplugHost.SETTINGS_CONNECTION).counters()
                .stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private double meterCount(String reason) {
        return meters.counter("millwright.sparkplug.rebirth.requests", "connection", SparkplugHost.SETTINGS_CONNECTION, "reason", reason).count();
    }

    private JsonNode awaitState(String topic, boolean online) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> json.readTree(retained(topic)), s -> s.path("online").asBoolean() == online);
    }

    /** The retained message of a topic, as a new subscriber gets it. */
    private static String retained(String topic) throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient reader = new MqttClient(MqttTestBroker.URL, "mwtest-reader-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            reader.connect();
            reader.subscribe(topic, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            String message = got.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("retained message on " + topic).isNotNull();
            return message;
        } finally {
            if (reader.isConnected()) {
                reader.disconnect();
            }
            reader.close();
        }
    }

    private static void clearRetained(String topic) throws Exception {
        MqttClient c = new MqttClient(MqttTestBroker.URL, "mwtest-clear-" + UUID.randomUUID(), new MemoryPersistence());
        c.connect();
        c.publish(topic, new byte[0], 1, true);
        c.disconnect();
        c.close();
    }

    private static JsonNode only(List<JsonNode> events, String source, String tag) {
        List<JsonNode> matching = events.stream().filter(e -> e.path("source").asText().equals(source)
                && e.path("data").path("tag").asText().equals(tag)).toList();
        assertThat(matching).as(source + " " + tag).hasSize(1);
        return matching.get(0);
    }

}
