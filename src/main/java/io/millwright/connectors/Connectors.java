package io.millwright.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors the hub runs, read once at start from {@code mappings/connectors/}: each valid,
 * enabled file with its compiled mapping and status; each rejected file with its reason (logged
 * at ERROR, shown in health and {@code GET /api/connectors}); the other connectors run regardless.
 */
final class Connectors {

    private static final Logger log = LoggerFactory.getLogger(Connectors.class);

    record Running(ConnectorDefinition definition, ConnectorMapping mapping, ConnectorStatus status) {}

    private final Map<String, Running> running = new LinkedHashMap<>();
    private final List<ConnectorDefinition> disabled = new ArrayList<>();
    private final Map<Path, String> rejected = new LinkedHashMap<>();

    Connectors(ConnectorFiles files, ObjectMapper json, MeterRegistry meters) {
        List<Path> paths;
        try {
            paths = files.files();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the connectors folder " + files.directory(), e);
        }
        for (Path file : paths) {
            try {
                ConnectorDefinition definition = files.read(file);
                if (!definition.enabled()) {
                    disabled.add(definition);
                    log.info("Connector disabled name={} file={} (set enabled: true to run it)", definition.name(), file);
                    continue;
                }
                running.put(definition.name(), new Running(definition, new ConnectorMapping(definition, json),
                        new ConnectorStatus(definition, meters)));
                log.info("Connector loaded name={} system={} on={} target={} {} auth={}", definition.name(),
                        definition.system(), definition.on().stream().map(t -> t.eventName()).toList(),
                        definition.request().method(), definition.request().url(), definition.auth().type());
            } catch (InvalidConnectorFileException e) {
                rejected.put(file, e.getMessage());
                log.error("{}; the other connectors run", e.getMessage());
            }
        }
    }

    List<Running> running() {
        return List.copyOf(running.values());
    }

    Map<Path, String> rejected() {
        return Map.copyOf(rejected);
    }

    /** Status of every connector file, for health and the API. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> all = new ArrayList<>();
        running.values().forEach(r -> {
            Map<String, Object> details = new LinkedHashMap<>(r.status().describe());
            details.put("state", "running");
            all.add(details);
        });
        disabled.forEach(d -> all.add(Map.of("name", d.name(), "system", d.system(), "state", "disabled",
                "file", d.file().toString())));
        rejected.forEach((file, reason) -> all.add(Map.of("file", file.toString(), "state", "rejected", "reason", reason)));
        return all;
    }
}
