package io.millwright.mappings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example under mappings/transform/examples through its mapping with Camel's own
 * jsonata component (as the hub does) and compares with the expected output. An example
 * {@code <name>[-<case>].input.json} belongs to the mapping {@code transform/<name>.jsonata}.
 */
class MappingExamplesTest {

    static final Path TRANSFORM = Path.of("mappings", "transform");
    static final ObjectMapper JSON = new ObjectMapper();
    static DefaultCamelContext camel;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(TRANSFORM.resolve("examples"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".input.json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void mappingProducesExpectedOutput(Path input) throws IOException {
        String example = input.getFileName().toString().replace(".input.json", "");
        Path mapping = mappingFor(example);
        Path expectedFile = input.resolveSibling(example + ".expected.json");
        assertThat(expectedFile).as("expected output beside the example").exists();

        Object output = camel.createProducerTemplate().requestBody(
                "jsonata:file:" + mapping + "?contentCache=false", JSON.readValue(input.toFile(), Map.class));

        JsonNode actual = JSON.valueToTree(output);
        assertThat(actual).isEqualTo(JSON.readTree(expectedFile.toFile()));
    }

    /** The longest mapping name that the example name starts with. */
    static Path mappingFor(String example) throws IOException {
        try (Stream<Path> files = Files.list(TRANSFORM)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonata"))
                    .filter(f -> example.startsWith(f.getFileName().toString().replace(".jsonata", "")))
                    .max(Comparator.comparingInt(f -> f.getFileName().toString().length()))
                    .orElseThrow(() -> new AssertionError("no mapping in " + TRANSFORM + " for example " + example));
        }
    }
}
