package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.EventType;
import io.millwright.testsupport.NpmTool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI 3.0 catalog: built from mappings/schemas/, the copy in docs/ is the same document,
 * and the official AsyncAPI parser (npm {@code @asyncapi/parser} 3.x, installed into
 * {@code target/asyncapi-parser} on first run) finds no error in it. No npm, no pass: the test
 * fails saying so.
 */
class AsyncApiCatalogTest {

    static final Path DOCS_COPY = Path.of("docs", "asyncapi.yaml");
    static final Path PARSER_DIR = Path.of("target", "asyncapi-parser");
    static final String PARSER = "@asyncapi/parser@3.6.6";

    final AsyncApiCatalog catalog = new AsyncApiCatalog(Path.of("mappings", "schemas"), "127.0.0.1:9092", "127.0.0.1:61616");

    @Test
    void everyEventTypeHasItsChannels_withTheDataSchemaOfMappings() throws Exception {
        JsonNode doc = catalog.document();
        for (EventType type : EventType.values()) {
            String name = type.eventName();
            assertThat(doc.path("channels").path("kafka-" + name).path("address").asText()).isEqualTo(type.destination());
            assertThat(doc.path("channels").path("artemis-" + name).path("address").asText()).isEqualTo(type.destination());
            assertThat(doc.path("channels").path("mqtt-" + name).path("address").asText()).isEqualTo("millwright/events/" + name);
            assertThat(doc.path("operations").path("send-kafka-" + name).path("action").asText()).isEqualTo("send");
        }
        JsonNode machineState = doc.path("components").path("schemas").path("machine-state");
        assertThat(machineState.path("properties").path("state").path("enum")).hasSize(4);
        assertThat(machineState.has("$schema")).isFalse();
        assertThat(doc.path("channels").path("dispatch").path("address").asText()).isEqualTo("millwright.dispatch");
        assertThat(doc.path("components").path("schemas").path("dispatch").path("required").toString()).contains("workUnit");
    }

    @Test
    void docsCopyIsTheGeneratedDocument() throws Exception {
        String generated = AsyncApiController.yaml(catalog.document());
        if (Boolean.getBoolean("asyncapi.update")) {
            Files.writeString(DOCS_COPY, generated);
        }
        assertThat(Files.exists(DOCS_COPY) ? Files.readString(DOCS_COPY) : "")
                .as("docs/asyncapi.yaml is stale: regenerate with ./mvnw test -Dtest=AsyncApiCatalogTest -Dasyncapi.update=true")
                .isEqualTo(generated);
    }

    @Test
    void officialAsyncApiParserFindsNoError() throws Exception {
        NpmTool.install(PARSER_DIR, PARSER, "the official AsyncAPI parser that validates docs/asyncapi.yaml");
        Path document = PARSER_DIR.resolve("millwright-asyncapi.yaml");
        Files.writeString(document, AsyncApiController.yaml(catalog.document()));
        Path script = PARSER_DIR.resolve("validate.cjs");
        try (InputStream in = getClass().getResourceAsStream("/asyncapi-validate.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        NpmTool.Result result = NpmTool.run(List.of("node", script.getFileName().toString(), document.getFileName().toString()),
                PARSER_DIR, Duration.ofSeconds(120));
        System.out.println(result.output());
        assertThat(result.exitCode()).as("AsyncAPI parser output:\n" + result.output()).isZero();
        assertThat(result.output()).contains("VALID asyncapi=3.0.0");
    }
}
