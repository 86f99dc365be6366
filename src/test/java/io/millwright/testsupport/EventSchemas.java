package io.millwright.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.millwright.model.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates published events against the JSON Schemas in {@code mappings/schemas/}, as a
 * subscriber would: the envelope, then {@code data} against the schema its type names.
 */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Path SCHEMAS = Path.of("mappings", "schemas");
    private static final Map<String, JsonSchema> LOADED = new ConcurrentHashMap<>();

    private EventSchemas() {}

    /** Throws an {@link AssertionError} listing every violation. */
    public static void assertValid(JsonNode event) {
        check(event, "envelope.v1");
        check(event.path("data"), EventType.ofCloudEventType(event.path("type").asText()).schemaName());
    }

    private static void check(JsonNode document, String schemaName) {
        Set<ValidationMessage> problems = schema(schemaName).validate(document);
        if (!problems.isEmpty()) {
            throw new AssertionError(schemaName + " violated by " + document + ": " + problems);
        }
    }

    private static JsonSchema schema(String name) {
        return LOADED.computeIfAbsent(name, EventSchemas::load);
    }

    private static JsonSchema load(String name) {
        Path file = SCHEMAS.resolve(name + ".schema.json");
        try (InputStream in = Files.newInputStream(file)) {
            return FACTORY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no schema " + file, e);
        }
    }
}
