package io.millwright.ot.mqtt;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.InvalidEventException;
import io.millwright.model.IsoInstants;
import io.millwright.model.SourceReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message of an MQTT source to readings: a JSONata expression, compiled once, evaluated on
 * {@code {"topic": ..., "payload": <the JSON>, "receivedTime": ...}} that gives one object or an
 * array of objects {@code {"tag", "value", "time"?, "quality"?}}; or, without a file, the built-in
 * mapping (each scalar field a tag, nested objects joined with '/', {@code time} or
 * {@code timestamp} as the source time). A reading's address is {@code <topic>/<tag>}, so asset
 * rules match {@code <source id>/<topic>/<tag>}.
 */
final class MqttJsonMapping {

    /** Status codes as the intake reads them (OPC UA severity bits). */
    private static final Map<String, Long> QUALITY = Map.of("GOOD", 0L, "UNCERTAIN", 0x40000000L, "BAD", 0x80000000L);
    private static final TypeReference<Object> ANY = new TypeReference<>() {};

    private final String sourceId;
    private final Path file;
    private final Jsonata expression;
    private final ObjectMapper json;

    MqttJsonMapping(String sourceId, Path file, ObjectMapper json) {
        this.sourceId = sourceId;
        this.file = file;
        this.json = json;
        if (file == null) {
            this.expression = null;
        } else {
            try {
                this.expression = Jsonata.jsonata(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalStateException("millwright.mqtt.sources." + sourceId + ".mapping: " + file + " cannot be read: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("millwright.mqtt.sources." + sourceId + ".mapping: " + file + " is not valid JSONata: " + e.getMessage(), e);
            }
        }
    }

    List<SourceReading> map(String topic, byte[] payload, Instant received) {
        Object parsed;
        try {
            parsed = json.readValue(payload, ANY);
        } catch (IOException e) {
            throw InvalidEventException.field("payload", topic, "is not JSON (" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()) + ")");
        }
        List<SourceReading> readings = new ArrayList<>();
        if (expression == null) {
            if (!(parsed instanceof Map<?, ?> object)) {
                throw InvalidEventException.field("payload", topic, "must be a JSON object for the built-in mapping; give the source a JSONata mapping");
            }
            Instant time = time(object.containsKey("time") ? object.get("time") : object.get("timestamp"), received);
            flatten(topic, "", object, time, received, readings);
            return readings;
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("topic", topic);
        input.put("payload", parsed);
        input.put("receivedTime", received.toString());
        Object output;
        synchronized (expression) { // jsonata-java keeps evaluation state in the expression
            output = expression.evaluate(input);
        }
        List<?> items = output instanceof List<?> list ? list : output == null ? List.of() : List.of(output);
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> fields)) {
                throw InvalidEventException.field("mapping", file, "must give objects with tag and value; gave " + item);
            }
            Object tag = fields.get("tag");
            if (!(tag instanceof String name) || name.isBlank()) {
                throw InvalidEventException.field("tag", tag, "is required in every object the mapping " + file + " gives");
            }
            Object quality = fields.get("quality");
            Long status = quality == null ? Long.valueOf(0L) : QUALITY.get(String.valueOf(quality));
            if (status == null) {
                throw InvalidEventException.field("quality", quality, "must be GOOD, UNCERTAIN or BAD");
            }
            readings.add(reading(topic, name, fields.get("value"), status, time(fields.get("time"), received), received));
        }
        return readings;
    }

    private void flatten(String topic, String prefix, Map<?, ?> object, Instant time, Instant received, List<SourceReading> out) {
        for (Map.Entry<?, ?> e : object.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (prefix.isEmpty() && (key.equals("time") || key.equals("timestamp"))) {
                continue;
            }
            Object value = e.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(topic, prefix + key + "/", nested, time, received, out);
            } else {
                out.add(reading(topic, prefix + key, value, 0L, time, received));
            }
        }
    }

    private SourceReading reading(String topic, String tag, Object value, long status, Instant time, Instant received) {
        Object plain = value instanceof Integer i ? Long.valueOf(i) : value instanceof Float f ? Double.valueOf(f) : value;
        return new SourceReading(sourceId, "mqtt://" + sourceId, topic + "/" + tag, status >= 0x80000000L ? null : plain, status, time, received);
    }

    private static Instant time(Object value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number epochMillis) {
            return Instant.ofEpochMilli(epochMillis.longValue());
        }
        try {
            return IsoInstants.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field("time", value, "must be an ISO-8601 instant or epoch milliseconds");
        }
    }
}
