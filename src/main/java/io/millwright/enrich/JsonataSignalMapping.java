package io.millwright.enrich;

import com.dashjoin.jsonata.Jsonata;
import io.millwright.model.InvalidEventException;
import io.millwright.model.IsoInstants;
import io.millwright.model.Quality;
import io.millwright.model.SourceReading;
import io.millwright.ops.FolderWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An integrator's JSONata mapping ({@code mappings/transform/<name>.jsonata}), compiled once per
 * version of the file: the hub's folder watcher ({@link FolderWatcher}, see {@link #watch}) tells it
 * when the file was saved, and it recompiles; a save that does not compile leaves the previous
 * version in use. camel-jsonata 4.17 compiles its expression for every message (REFERENCE §0.16),
 * which costs more than the rest of the hot path together.
 *
 * <p>Input, per reading: {@code {connection, source, nodeId, value, statusCode, sourceTime, serverTime}}
 * (times as ISO-8601 text); output: the fields of {@link NormalizedSignal}
 * ({@code connection, tag, value, quality, statusCode, time, source}).
 */
final class JsonataSignalMapping implements SignalMapping {

    private static final Logger log = LoggerFactory.getLogger(JsonataSignalMapping.class);

    private record Version(Jsonata expression) {}

    private final Path file;
    private volatile Version version;

    JsonataSignalMapping(Path file) {
        this.file = file;
        this.version = compile();
    }

    /**
     * Watches the folders of the given mappings, one {@link FolderWatcher} per folder, and recompiles a
     * mapping when its file is saved. The caller closes the watchers.
     */
    static List<FolderWatcher> watch(Collection<JsonataSignalMapping> mappings, Duration debounce) throws IOException {
        Map<Path, List<JsonataSignalMapping>> byFolder = new LinkedHashMap<>();
        for (JsonataSignalMapping mapping : mappings) {
            byFolder.computeIfAbsent(mapping.file().toAbsolutePath().getParent(), d -> new ArrayList<>()).add(mapping);
        }
        List<FolderWatcher> watchers = new ArrayList<>();
        for (Map.Entry<Path, List<JsonataSignalMapping>> folder : byFolder.entrySet()) {
            List<JsonataSignalMapping> inFolder = List.copyOf(folder.getValue());
            Set<String> names = inFolder.stream().map(m -> m.file().getFileName().toString()).collect(Collectors.toSet());
            watchers.add(FolderWatcher.perFile("signal-mappings", folder.getKey(), names::contains, debounce, name -> {
                for (JsonataSignalMapping mapping : inFolder) {
                    if (FolderWatcher.WHOLE_FOLDER.equals(name) || mapping.file().getFileName().toString().equals(name)) {
                        mapping.reload();
                    }
                }
            }).start());
        }
        return watchers;
    }

    /** Recompiles the file; a file that does not compile (or is gone) leaves the previous version in use. */
    void reload() {
        try {
            version = compile();
            log.info("Mapping recompiled file={}", file);
        } catch (RuntimeException e) {
            log.warn("Mapping not recompiled, the previous version stays file={} reason={}", file, e.getMessage());
        }
    }

    @Override
    public NormalizedSignal normalize(SourceReading reading) {
        Version current = version;
        Object output;
        // one evaluation at a time per expression: jsonata-java keeps evaluation state in the expression
        synchronized (current) {
            output = current.expression().evaluate(input(reading));
        }
        if (!(output instanceof Map<?, ?> fields)) {
            throw InvalidEventException.field("mapping", file, "must give an object with connection, tag, value, quality,"
                    + " statusCode, time and source; gave " + output);
        }
        Quality quality = quality(fields.get("quality"));
        return new NormalizedSignal(
                text(fields, "connection"),
                text(fields, "tag"),
                quality == Quality.BAD ? null : plain(fields.get("value")),
                quality,
                text(fields, "statusCode"),
                time(fields.get("time")),
                text(fields, "source"));
    }

    Path file() {
        return file;
    }

    private Version compile() {
        try {
            String text = Files.readString(file);
            return new Version(Jsonata.jsonata(text));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the mapping " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not a valid JSONata expression: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> input(SourceReading reading) {
        Map<String, Object> input = new HashMap<>(10);
        input.put("connection", reading.connection());
        input.put("source", reading.source());
        input.put("nodeId", reading.nodeId());
        input.put("value", reading.value());
        input.put("statusCode", reading.statusCode());
        input.put("sourceTime", reading.sourceTime() == null ? null : reading.sourceTime().toString());
        input.put("serverTime", reading.serverTime() == null ? null : reading.serverTime().toString());
        return input;
    }

    private static Quality quality(Object value) {
        InvalidEventException.required("quality", value);
        try {
            return Quality.valueOf(value.toString());
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field("quality", value, "is not GOOD, UNCERTAIN or BAD");
        }
    }

    private static Instant time(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return IsoInstants.parse(value.toString());
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field("time", value, "is not an ISO-8601 instant");
        }
    }

    private static Object plain(Object value) {
        if (value instanceof Number number && !(value instanceof Double) && !(value instanceof Float)) {
            return number.longValue();
        }
        return value;
    }

    private static String text(Map<?, ?> fields, String field) {
        Object value = fields.get(field);
        return value == null ? null : value.toString();
    }
}
