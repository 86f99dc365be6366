package io.millwright.ot.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.testsupport.MqttHubTest;
import io.millwright.testsupport.MqttTestBroker;
import io.millwright.testsupport.NpmTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub's Sparkplug B host against an edge node it did not write: Eclipse Tahu's JavaScript client
 * (npm {@code sparkplug-client} 3.2.4, protobuf through {@code sparkplug-payload}, bdSeq as UInt64,
 * installed into {@code target/npm} on first run), driven by {@code src/test/resources/sparkplug/js-edge-node.js}
 * through the machine's Mosquitto. What a plant with such a gateway checks: its births become signals on
 * the mapped asset, data by alias becomes values and production counts, an alias the births never
 * declared brings a rebirth request the node answers, and its NDEATH turns its tags BAD.
 */
class SparkplugThirdPartyEdgeTest extends MqttHubTest {

    static final Path TOOL = Path.of("target", "npm", "sparkplug-client");
    static final Path SCRIPT = Path.of("src", "test", "resources", "sparkplug", "js-edge-node.js");
    static final String NODE = "js-line";
    static final String DEVICE = "press-7";
    static final String ASSET = "acme/springfield/sparkplug/" + NODE + "/" + DEVICE;

    @Test
    void tahuJavaScriptEdgeNode_birthDataByAliasRebirthAndDeath() throws Exception {
        NpmTool.install(TOOL, "sparkplug-client@3.2.4", "a third-party Sparkplug B edge node (Eclipse Tahu's JavaScript client)");
        String nodeSource = "sparkplug://" + GROUP + "/" + NODE;
        String deviceSource = nodeSource + "/" + DEVICE;
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "test-data")), "js-edge-node-", ".log");
        List<String> command = List.of("node", SCRIPT.toAbsolutePath().toString(), MqttTestBroker.URL, GROUP, NODE, DEVICE);
        try (NpmTool.Started edge = NpmTool.start("the Tahu JavaScript edge node", command, TOOL,
                Map.of("NODE_PATH", TOOL.resolve("node_modules").toAbsolutePath().toString()), log, Duration.ofSeconds(30),
                () -> logHas(log, "BIRTH 1"))) {
            List<JsonNode> births = awaitEvents(e -> e.path("source").asText().startsWith(nodeSource), 5);
            assertThat(births).extracting(e -> e.path("data").path("tag").asText()).containsExactlyInAnyOrder(
                    "Uptime", "Production/Order", "Production/Operation", "Production/GoodCount", "Process/Temperature");
            JsonNode temperature = latest(deviceSource, "Process/Temperature");
            assertThat(temperature.path("subject").asText()).isEqualTo(ASSET);
            assertThat(temperature.path("data").path("value").asDouble()).isEqualTo(40.5);
            assertThat(temperature.path("data").path("unit").asText()).isEqualTo("CEL");
            assertThat(temperature.path("data").path("quality").asText()).isEqualTo("GOOD");

            // DDATA by alias only: the counter went from 200 to 205 for the order the birth named
            send(edge, "data 205 41.5");
            JsonNode count = awaitEvents(e -> e.path("type").asText().equals("io.millwright.production-count.v1")
                    && e.path("subject").asText().equals(ASSET), 1).get(0);
            assertThat(count.path("source").asText()).isEqualTo(deviceSource);
            assertThat(count.path("data").path("delta").asLong()).isEqualTo(5);
            assertThat(count.path("data").path("orderId").asText()).isEqualTo("1000888");
            assertThat(count.path("data").path("operation").asText()).isEqualTo("0010");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(latest(deviceSource, "Process/Temperature").path("data").path("value").asDouble()).isEqualTo(41.5));

            // an alias no birth declared: the host asks for a rebirth (NCMD), the node answers with new births
            send(edge, "unknown-alias");
            await().atMost(Duration.ofSeconds(30)).until(() -> logHas(log, "REBIRTH-REQUESTED") && logHas(log, "BIRTH 2"));

            // NDEATH with the session's bdSeq (UInt64 here): the node's and its device's tags turn BAD
            send(edge, "stop");
            List<JsonNode> bad = awaitEvents(e -> e.path("source").asText().startsWith(nodeSource)
                    && e.path("data").path("quality").asText().equals("BAD"), 5);
            assertThat(bad).extracting(e -> e.path("data").path("tag").asText()).containsExactlyInAnyOrder(
                    "Uptime", "Production/Order", "Production/Operation", "Production/GoodCount", "Process/Temperature");
        }
    }

    private JsonNode latest(String source, String tag) {
        List<JsonNode> signals = events().stream().filter(e -> e.path("source").asText().equals(source)
                && e.path("data").path("tag").asText().equals(tag)).toList();
        assertThat(signals).as(source + " " + tag).isNotEmpty();
        return signals.get(signals.size() - 1);
    }

    private static void send(NpmTool.Started edge, String line) throws IOException {
        edge.input().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        edge.input().flush();
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
