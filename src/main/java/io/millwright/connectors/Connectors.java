package io.millwright.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors the hub runs, one per file in {@code mappings/connectors/}: each valid, enabled file
 * with its compiled mapping and status; each rejected file with its reason (logged, shown in health and
 * {@code GET /api/connectors}); the other connectors run regardless. Read at start, then kept in line
 * with the folder by {@link ConnectorReloader}: each applied save counts as a new {@code version} of the
 * file; a rejected save leaves the running version in place and is shown beside it as
 * {@code rejectedChange}.
 */
final class Connectors {

    private static final Logger log = LoggerFactory.getLogger(Connectors.class);

    record Running(ConnectorDefinition definition, ConnectorMapping mapping, ConnectorStatus status) {}

    /**
     * What the hub knows of one file.
     *
     * @param running  the running connector, or null (disabled, or never valid)
     * @param disabled the definition of a switched-off connector, or null
     * @param version  1 for the version read at start, one more per applied save; 0 if none ever applied
     * @param content  the bytes of the applied version (a save of the same bytes changes nothing)
     * @param rejected the reason the latest save was not applied, or null
     */
    private record Entry(Running running, ConnectorDefinition disabled, int version, Instant loadedAt, byte[] content,
            String rejected, Instant rejectedAt) {}

    private final ConnectorFiles files;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Map<Path, Entry> entries = new ConcurrentSkipListMap<>();

    Connectors(ConnectorFiles files, ObjectMapper json, MeterRegistry meters) {
        this.files = files;
        this.json = json;
        this.meters = meters;
        List<Path> paths;
        try {
            paths = files.files();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the connectors folder " + files.directory(), e);
        }
        for (Path file : paths) {
            try {
                byte[] content = Files.readAllBytes(file);
                ConnectorDefinition definition = files.read(file);
                applied(file, content, definition, definition.enabled() ? prepare(definition) : null);
            } catch (InvalidConnectorFileException e) {
                rejected(file, e.getMessage());
                log.error("{}; the other connectors run", e.getMessage());
            } catch (IOException e) {
                rejected(file, "Connector file rejected file=" + file + " key=(file) reason=cannot be read: " + e.getMessage());
            }
        }
    }

    ConnectorFiles files() {
        return files;
    }

    /** A connector ready to run (mapping compiled, status new); a mapping that does not compile throws. */
    Running prepare(ConnectorDefinition definition) {
        return new Running(definition, new ConnectorMapping(definition, json), new ConnectorStatus(definition, meters));
    }

    /** Records the file's new applied version: running, or switched off when {@code running} is null. */
    void applied(Path file, byte[] content, ConnectorDefinition definition, Running running) {
        Entry previous = entries.get(file);
        int version = previous == null ? 1 : previous.version() + 1;
        entries.put(file, new Entry(running, running == null ? definition : null, version, Instant.now(), content, null, null));
        if (running == null) {
            log.info("Connector disabled name={} file={} version={} (set enabled: true to run it)", definition.name(), file,
                    version);
        } else {
            log.info("Connector loaded name={} system={} on={} target={} {} auth={} version={}", definition.name(),
                    definition.system(), definition.on().stream().map(t -> t.eventName()).toList(),
                    definition.request().method(), definition.request().url(), definition.auth().type(), version);
        }
    }

    /** Records a save that was not applied; what ran before keeps running. */
    void rejected(Path file, String reason) {
        Entry previous = entries.get(file);
        entries.put(file, previous == null ? new Entry(null, null, 0, null, null, reason, Instant.now())
                : new Entry(previous.running(), previous.disabled(), previous.version(), previous.loadedAt(),
                        previous.content(), reason, Instant.now()));
    }

    /** Forgets a deleted file. */
    void forget(Path file) {
        entries.remove(file);
    }

    boolean knows(Path file) {
        return entries.containsKey(file);
    }

    Optional<Running> runningFrom(Path file) {
        Entry entry = entries.get(file);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.running());
    }

    /** True when {@code content} is the version that runs and no later save was rejected: nothing to do. */
    boolean isApplied(Path file, byte[] content) {
        Entry entry = entries.get(file);
        return entry != null && entry.rejected() == null && java.util.Arrays.equals(entry.content(), content);
    }

    /** The files the hub knows, by path. */
    List<Path> known() {
        return List.copyOf(entries.keySet());
    }

    List<Running> running() {
        return entries.values().stream().map(Entry::running).filter(r -> r != null).toList();
    }

    /** Files whose latest save was rejected, with the reason (the file, the key, why). */
    Map<Path, String> rejected() {
        Map<Path, String> rejected = new LinkedHashMap<>();
        entries.forEach((file, entry) -> {
            if (entry.rejected() != null) {
                rejected.put(file, entry.rejected());
            }
        });
        return rejected;
    }

    /** Status of every connector file, for health and the API. */
    List<Map<String, Object>> describe() {
        List<Map<String, Object>> all = new ArrayList<>();
        entries.forEach((file, entry) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            if (entry.running() != null) {
                details.putAll(entry.running().status().describe());
                details.put("state", "running");
            } else if (entry.disabled() != null) {
                details.put("name", entry.disabled().name());
                details.put("system", entry.disabled().system());
                details.put("state", "disabled");
            } else {
                details.put("state", "rejected");
                details.put("reason", entry.rejected());
            }
            details.put("file", file.toString());
            details.put("version", entry.version());
            details.put("loadedAt", entry.loadedAt() == null ? null : entry.loadedAt().toString());
            if (entry.rejected() != null && entry.version() > 0) {
                details.put("rejectedChange", entry.rejected());
                details.put("rejectedAt", entry.rejectedAt().toString());
            }
            all.add(details);
        });
        return all;
    }
}
