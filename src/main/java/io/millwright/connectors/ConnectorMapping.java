package io.millwright.connectors;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.millwright.model.InvalidEventException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A connector's JSONata condition and mapping, compiled once when the connector is loaded
 * (camel-jsonata 4.17 compiles for every message, REFERENCE §0.16), with its lookup files bound
 * as variables. The input is the whole CloudEvent: {@code id, type, source, subject, time,
 * correlationid, data}.
 */
final class ConnectorMapping {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ConnectorDefinition connector;
    private final Jsonata when;
    private final Jsonata mapping;
    private final ObjectMapper json;
    private final Map<Path, Long> lookupVersions = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long checkedAt = System.nanoTime();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConnectorMapping.class);

    ConnectorMapping(ConnectorDefinition connector, ObjectMapper json) {
        this.connector = connector;
        this.json = json;
        this.when = connector.when() == null ? null : compile(connector.when(), "when");
        String mappingText;
        try {
            mappingText = Files.readString(connector.mapping());
        } catch (IOException e) {
            throw new InvalidConnectorFileException(connector.file(), "mapping", "cannot read " + connector.mapping() + ": " + e.getMessage());
        }
        this.mapping = compile(mappingText, "mapping");
        bindLookups();
    }

    /** Binds each lookup file as a JSONata variable; again when one of them changed (a PLM import, an edit). */
    private void bindLookups() {
        YAMLMapper yaml = new YAMLMapper();
        for (Map.Entry<String, Path> lookup : connector.lookups().entrySet()) {
            Object table;
            try {
                lookupVersions.put(lookup.getValue(), Files.getLastModifiedTime(lookup.getValue()).toMillis());
                table = yaml.readValue(lookup.getValue().toFile(), Object.class);
            } catch (IOException e) {
                throw new InvalidConnectorFileException(connector.file(), "lookups." + lookup.getKey(),
                        "cannot read " + lookup.getValue() + ": " + e.getMessage());
            }
            if (when != null) {
                synchronized (when) {
                    when.assign(lookup.getKey(), table);
                }
            }
            synchronized (mapping) {
                mapping.assign(lookup.getKey(), table);
            }
        }
    }

    /** At most once a second: re-binds the lookups if a file changed; a broken edit keeps the tables in use. */
    private void refreshLookups() {
        long now = System.nanoTime();
        if (lookupVersions.isEmpty() || now - checkedAt < 1_000_000_000L) {
            return;
        }
        checkedAt = now;
        boolean changed = lookupVersions.entrySet().stream().anyMatch(e -> {
            try {
                return Files.getLastModifiedTime(e.getKey()).toMillis() != e.getValue();
            } catch (IOException gone) {
                return false;
            }
        });
        if (changed) {
            try {
                bindLookups();
                log.info("Connector lookups re-read connector={} files={}", connector.name(), connector.lookups().values());
            } catch (InvalidConnectorFileException e) {
                log.error("{}; the tables read before stay in use", e.getMessage());
            }
        }
    }

    private Jsonata compile(String expression, String key) {
        try {
            return Jsonata.jsonata(expression);
        } catch (RuntimeException e) {
            throw new InvalidConnectorFileException(connector.file(), key, "JSONata does not compile: " + e.getMessage());
        }
    }

    /** The event as JSONata input. */
    Map<String, Object> input(byte[] cloudEvent) throws IOException {
        return json.readValue(cloudEvent, MAP);
    }

    /** Whether the connector takes this event ({@code when} absent or true). */
    boolean accepts(Map<String, Object> event) {
        refreshLookups();
        if (when == null) {
            return true;
        }
        Object result;
        // jsonata-java keeps evaluation state in the expression: one evaluation at a time
        synchronized (when) {
            result = when.evaluate(event);
        }
        return Boolean.TRUE.equals(result);
    }

    /** The request body; a mapping that gives nothing is a mistake to fix, not an event to drop. */
    byte[] map(Map<String, Object> event) throws IOException {
        Object body;
        synchronized (mapping) {
            body = mapping.evaluate(event);
        }
        if (body == null) {
            throw InvalidEventException.field("mapping", connector.mapping(), "gave no value for event " + event.get("id")
                    + "; fix the mapping (or narrow 'when') and resubmit");
        }
        return json.writeValueAsBytes(body);
    }
}
