package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.model.SourceReading;
import io.millwright.ops.HubDirectoriesProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * Which mapping a connection uses (issue #6): its connection file's {@code mapping:} wins over
 * {@code millwright.enrich.mappings.<id>}; either alone works; neither = the built-in mapping.
 */
class SignalMappingsTest {

    @TempDir Path dir;

    @Test
    void connectionFileMappingWinsOverTheSetting_eitherAloneWorks_otherwiseBuiltIn() throws IOException {
        Path mappings = Files.createDirectories(dir.resolve("mappings/transform"));
        Files.writeString(mappings.resolve("press.jsonata"), mapping("press-file"));
        Files.writeString(mappings.resolve("setting.jsonata"), mapping("from-setting"));
        Path opcua = Files.createDirectories(dir.resolve("adapters/opcua"));
        Files.writeString(opcua.resolve("press-line.yaml"), "endpoint: opc.tcp://h:1/x\nmapping: transform/press.jsonata\n");
        Files.writeString(opcua.resolve("saw-line.yaml"), "endpoint: opc.tcp://h:1/x\n");

        SignalMappings chosen = new SignalMappings(
                properties(Map.of("press-line", "transform/setting.jsonata", "saw-line", "transform/setting.jsonata")),
                directories(), new MockEnvironment());

        assertThat(source(chosen, "press-line")).isEqualTo("press-file");
        assertThat(source(chosen, "saw-line")).isEqualTo("from-setting");
        assertThat(chosen.forConnection("other-line")).isInstanceOf(DefaultSignalMapping.class);
    }

    @Test
    void missingMappingFileNamedInAConnectionFileStopsStartWithTheFile() throws IOException {
        Files.createDirectories(dir.resolve("mappings"));
        Path opcua = Files.createDirectories(dir.resolve("adapters/opcua"));
        Path file = Files.writeString(opcua.resolve("press-line.yaml"), "endpoint: opc.tcp://h:1/x\nmapping: transform/nope.jsonata\n");

        assertThatThrownBy(() -> new SignalMappings(properties(Map.of()), directories(), new MockEnvironment()))
                .hasMessageContaining(file + ": mapping").hasMessageContaining("nope.jsonata does not exist");
    }

    private static String source(SignalMappings mappings, String connection) {
        SourceReading reading = new SourceReading(connection, "opcua://" + connection, "ns=2;s=X", 1L, 0L, Instant.now(), null);
        return mappings.forConnection(connection).normalize(reading).source();
    }

    /** A JSONata mapping that marks its output's source, so the test can tell which file ran. */
    private static String mapping(String marker) {
        return "{ \"connection\": connection, \"tag\": nodeId, \"value\": value, \"quality\": \"GOOD\","
                + " \"statusCode\": \"0x00000000\", \"time\": sourceTime, \"source\": \"" + marker + "\" }";
    }

    private static EnrichProperties properties(Map<String, String> mappings) {
        return new EnrichProperties(mappings, false, Duration.ofMillis(500));
    }

    private HubDirectoriesProperties directories() {
        return new HubDirectoriesProperties(dir.resolve("data").toString(), dir.resolve("routes").toString(),
                dir.resolve("adapters").toString(), dir.resolve("mappings").toString());
    }
}
