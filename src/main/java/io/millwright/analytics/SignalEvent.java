package io.millwright.analytics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.millwright.model.EventType;
import io.millwright.model.IsoInstants;
import java.io.IOException;
import java.time.Instant;

/**
 * A canonical signal event read flat, in one pass of Jackson's streaming parser: the CloudEvents
 * attributes and the fields of {@code data} that the lake, the rollups and anomaly detection use,
 * the times parsed once. At 50,000 signals a second a {@code JsonNode} tree per signal, walked again
 * by each side route (with a time parse in each), was a third of the side routes' cost
 * (docs/benchmarks.md, "The analytics side routes per signal").
 *
 * <p>Only a plain signal is read this way: anything the tree would read differently (not an object,
 * another type, a value that is an object, array or big number, a time in another shape, a
 * non-string attribute) gives null, and the feed falls back to the tree for that record, so every
 * answer, error and dead letter stays as it was.
 *
 * @param time the source time, else the received time; null when there is neither
 * @param timeMicros {@code time} in µs since the epoch, {@link #ABSENT} when absent
 * @param receivedMicros {@code receivedtime} in µs since the epoch, {@link #ABSENT} when absent
 * @param number the value as a number (booleans 1 and 0), {@code NaN} when it is none
 * @param valueText the value as text, as the tree's {@code asText()} gives it; null when absent or null
 * @param oneLine whether the record holds no line break (JSON whitespace may): the lake stages such a record
 *     as one NDJSON line as it is ({@link NdjsonStaging})
 */
record SignalEvent(String id, String type, String source, String subject, Instant time, long timeMicros, long receivedMicros,
        String correlationid, String tag, String name, boolean numeric, double number, String valueText, String unit,
        String quality, String statusCode, boolean oneLine) {

    static final long ABSENT = Long.MIN_VALUE;
    private static final String SIGNAL = EventType.SIGNAL.cloudEventType();

    /** Whether the value is a number or a boolean (the lake's {@code value} column is not null). */
    boolean hasNumber() {
        return numeric;
    }

    /** The registry name of the tag, as {@link TagNames#nameOf} gives it. */
    String tagName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return tag == null ? null : TagNames.lastPart(tag);
    }

    /** The record as a flat signal, or null when it is not a plain signal event (the caller reads it as a tree). */
    static SignalEvent read(JsonFactory json, byte[] record) {
        try (JsonParser parser = json.createParser(record)) {
            return read(parser);
        } catch (IOException | RuntimeException e) {
            return null; // the tree reads it and says why
        }
    }

    private static SignalEvent read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Fields f = new Fields();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "data" -> {
                    if (value != JsonToken.START_OBJECT || !readData(p, f)) {
                        return null;
                    }
                }
                case "id", "type", "source", "subject", "time", "receivedtime", "correlationid" -> {
                    if (!stringOrNull(value)) {
                        return null;
                    }
                    String text = text(p, value);
                    switch (field) {
                        case "id" -> f.id = text;
                        case "type" -> f.type = text;
                        case "source" -> f.source = text;
                        case "subject" -> f.subject = text;
                        case "time" -> f.time = text;
                        case "receivedtime" -> f.receivedtime = text;
                        default -> f.correlationid = text;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT || p.nextToken() != null || f.id == null || !SIGNAL.equals(f.type) || !f.hadData) {
            return null;
        }
        Instant time = f.time == null ? null : IsoInstants.parse(f.time);
        Instant received = f.receivedtime == null ? null : IsoInstants.parse(f.receivedtime);
        // the parser counts \n and \r (and \r\n) as line breaks; at the end it has read the whole record
        boolean oneLine = p.currentLocation().getLineNr() == 1;
        return new SignalEvent(f.id, f.type, f.source, f.subject, time != null ? time : received, micros(time), micros(received),
                f.correlationid, f.tag, f.name, f.numeric, f.number, f.valueText, f.unit, f.quality, f.statusCode, oneLine);
    }

    /** The fields of {@code data}; false when one is of a kind the flat form does not keep. */
    private static boolean readData(JsonParser p, Fields f) throws IOException {
        f.hadData = true;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("value")) {
                if (!readValue(p, value, f)) {
                    return false;
                }
                continue;
            }
            if (!field.equals("tag") && !field.equals("name") && !field.equals("unit") && !field.equals("quality")
                    && !field.equals("statusCode")) {
                p.skipChildren();
                continue;
            }
            if (!stringOrNull(value)) {
                return false;
            }
            String text = text(p, value);
            switch (field) {
                case "tag" -> f.tag = text;
                case "name" -> f.name = text;
                case "unit" -> f.unit = text;
                case "quality" -> f.quality = text;
                default -> f.statusCode = text;
            }
        }
        return token == JsonToken.END_OBJECT;
    }

    /** Whether a text field's token is one the flat form keeps: a string, or null. */
    private static boolean stringOrNull(JsonToken value) {
        return value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
    }

    /** A string field's text; null for JSON null. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static boolean readValue(JsonParser p, JsonToken value, Fields f) throws IOException {
        f.numeric = false;
        f.number = Double.NaN;
        switch (value) {
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT) {
                    int number = p.getIntValue();
                    f.numeric = true;
                    f.number = number;
                    f.valueText = NumberOutput.toString(number);
                } else if (type == JsonParser.NumberType.LONG) {
                    long number = p.getLongValue();
                    f.numeric = true;
                    f.number = number;
                    f.valueText = NumberOutput.toString(number);
                } else {
                    return false; // a big integer: the tree keeps it exact
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                if (p.isNaN()) {
                    return false;
                }
                double number = p.getDoubleValue();
                f.numeric = true;
                f.number = number;
                f.valueText = NumberOutput.toString(number);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                f.numeric = true;
                f.number = value == JsonToken.VALUE_TRUE ? 1.0 : 0.0;
                f.valueText = value == JsonToken.VALUE_TRUE ? "true" : "false";
            }
            case VALUE_STRING -> f.valueText = p.getText();
            case VALUE_NULL -> f.valueText = null;
            default -> {
                return false; // an object or array: the lake keeps its JSON text, as the tree writes it
            }
        }
        return true;
    }

    private static long micros(Instant instant) {
        return instant == null ? ABSENT
                : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The fields as they are read. */
    private static final class Fields {
        String id;
        String type;
        String source;
        String subject;
        String time;
        String receivedtime;
        String correlationid;
        boolean hadData;
        String tag;
        String name;
        boolean numeric;
        double number = Double.NaN;
        String valueText;
        String unit;
        String quality;
        String statusCode;
    }
}
