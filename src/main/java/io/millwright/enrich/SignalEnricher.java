package io.millwright.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.InvalidEventException;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/**
 * Turns a normalized value (the output of a {@code mappings/transform/*-to-signal.jsonata}
 * mapping) into an {@link EnrichedSignal}: the canonical {@link Signal} plus its registry entry.
 */
@Component
public class SignalEnricher {

    private final AssetRegistry registry;

    public SignalEnricher(AssetRegistry registry) {
        this.registry = registry;
    }

    public EnrichedSignal enrich(JsonNode normalized) {
        String connection = text(normalized, "connection");
        String tag = text(normalized, "tag");
        InvalidEventException.required("connection", connection);
        InvalidEventException.required("tag", tag);
        AssetTag asset = registry.require(connection, tag);
        Quality quality = quality(normalized);
        Object value = quality == Quality.BAD ? null : plainValue(normalized.get("value"));
        Signal signal = new Signal(tag, value, asset.unit(), quality, text(normalized, "statusCode"));
        return new EnrichedSignal(asset, signal, text(normalized, "source"), time(normalized));
    }

    private static Quality quality(JsonNode normalized) {
        String text = text(normalized, "quality");
        InvalidEventException.required("quality", text);
        try {
            return Quality.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field("quality", text, "is not GOOD, UNCERTAIN or BAD");
        }
    }

    private static Instant time(JsonNode normalized) {
        String text = text(normalized, "time");
        if (text == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field("time", text, "is not an ISO-8601 instant");
        }
    }

    private static Object plainValue(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
