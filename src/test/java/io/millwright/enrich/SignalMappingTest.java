package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.SourceReading;
import io.millwright.ops.FolderWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The built-in mapping is the Java twin of {@code mappings/transform/opcua-to-signal.jsonata}: both
 * give the expected output of every example of that mapping. An integrator's JSONata mapping is
 * compiled once and recompiled when its file changes.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignalMappingTest {

    static final Path MAPPING = Path.of("mappings", "transform", "opcua-to-signal.jsonata");
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(MAPPING.resolveSibling("examples"))) {
            return files.filter(f -> f.getFileName().toString().matches("opcua-to-signal(-.*)?\\.input\\.json"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void builtInAndJsonataMappingGiveTheExpectedOutput(Path input) throws IOException {
        SourceReading reading = reading(JSON.readTree(input.toFile()));
        JsonNode expected = JSON.readTree(input.resolveSibling(
                input.getFileName().toString().replace(".input.json", ".expected.json")).toFile());

        assertThat(json(new DefaultSignalMapping().normalize(reading))).as("built-in").isEqualTo(expected);
        assertThat(json(new JsonataSignalMapping(MAPPING).normalize(reading))).as("JSONata").isEqualTo(expected);
    }

    // camel-jsonata compiles per message; ours compiles once, so the folder watcher must tell it of a save.
    @Test
    void editedMappingIsRecompiled_andBrokenEditKeepsThePreviousVersion(@TempDir Path dir, CapturedOutput output) throws IOException {
        Path file = dir.resolve("custom.jsonata");
        Files.writeString(file, mapping("opcua://"));
        JsonataSignalMapping mapping = new JsonataSignalMapping(file);
        List<FolderWatcher> watchers = JsonataSignalMapping.watch(List.of(mapping), Duration.ofMillis(50));
        try {
            SourceReading reading = new SourceReading("press", "opcua://press", "ns=2;s=Force", 12.5, 0L, Instant.now(), null);
            assertThat(mapping.normalize(reading).source()).isEqualTo("opcua://press");

            Files.writeString(file, mapping("line2-opcua://"));
            await().atMost(Duration.ofSeconds(5)).until(() -> mapping.normalize(reading).source().equals("line2-opcua://press"));

            Files.writeString(file, "( $broken := ");
            Files.writeString(dir.resolve("other.jsonata"), mapping("other://"));
            // control: still the last good version after the broken save was seen and rejected
            await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("Mapping not recompiled"));
            assertThat(mapping.normalize(reading).source()).isEqualTo("line2-opcua://press");
        } finally {
            watchers.forEach(FolderWatcher::close);
        }
    }

    private static String mapping(String sourcePrefix) {
        return "{ \"connection\": connection, \"tag\": nodeId, \"value\": value, \"quality\": \"GOOD\","
                + " \"statusCode\": \"0x00000000\", \"time\": sourceTime, \"source\": \"" + sourcePrefix + "\" & connection }";
    }

    /** A source reading from an example's input (the shape an adapter hands over). */
    private static SourceReading reading(JsonNode input) {
        String connection = input.path("connection").asText();
        JsonNode value = input.get("value");
        Object plain = value == null || value.isNull() ? null : value.isIntegralNumber() ? (Object) value.longValue()
                : value.isNumber() ? (Object) value.doubleValue() : value.asText();
        return new SourceReading(connection, "opcua://" + connection, input.path("nodeId").asText(), plain,
                input.path("statusCode").asLong(), instant(input.get("sourceTime")), instant(input.get("serverTime")));
    }

    private static Instant instant(JsonNode text) {
        return text == null || text.isNull() ? null : Instant.parse(text.asText());
    }

    /** As JSON text read back, so numbers compare by value (1207 is 1207 whether int or long). */
    private static JsonNode json(NormalizedSignal signal) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("connection", signal.connection());
        fields.put("tag", signal.tag());
        fields.put("value", signal.value());
        fields.put("quality", signal.quality().name());
        fields.put("statusCode", signal.statusCode());
        fields.put("time", signal.time() == null ? null : signal.time().toString());
        fields.put("source", signal.source());
        return JSON.readTree(JSON.writeValueAsString(fields));
    }
}
