package io.millwright.production;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.CounterKind;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.ProductionCount;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A production-count event an edge hub counted and forwarded to this (central) hub: the edge has
 * already turned its counter readings into the increment {@code count.delta()}, so this hub books
 * the increment as it is, once per CloudEvents id, and never runs it through its own counter state.
 *
 * @param eventId       the event's CloudEvents id; the ledger's {@code count_event_id}, unique
 * @param assetPath     the event's subject (the ISA-95 asset path the parts were counted on)
 * @param source        the event's CloudEvents source on the edge (adapter and address), for lineage
 * @param correlationId the id of the edge's signal event the count came from, or null
 * @param observedAt    when the edge's source stamped the reading (the event's time), or null
 * @param count         the increment, with its order operation and unit
 */
public record ForwardedCount(
        String eventId, String assetPath, String source, String correlationId, Instant observedAt, ProductionCount count) {

    /** The widths of the ledger's columns (V1, V38): a longer value would fail the insert, so it is refused first. */
    private static final int ID_LENGTH = 64;
    private static final int ASSET_PATH_LENGTH = 255;
    private static final int SOURCE_LENGTH = 255;
    private static final int ORDER_LENGTH = 12;
    private static final int OPERATION_LENGTH = 4;
    private static final int UNIT_LENGTH = 3;
    private static final Pattern SAP_KEY = Pattern.compile("[A-Za-z0-9]+");

    /**
     * Reads a production-count event in CloudEvents structured JSON.
     *
     * @throws InvalidEventException naming the field and the reason when the count cannot be booked
     *     (no order operation or one SAP cannot key, a delta below 1, a unit SAP cannot take, no id or asset path)
     */
    public static ForwardedCount of(JsonNode event) {
        String type = text(event, "type");
        if (!EventType.PRODUCTION_COUNT.cloudEventType().equals(type)) {
            throw InvalidEventException.field("type", type, "is not " + EventType.PRODUCTION_COUNT.cloudEventType());
        }
        String id = bounded("id", text(event, "id"), ID_LENGTH);
        String subject = bounded("subject", text(event, "subject"), ASSET_PATH_LENGTH);
        String source = bounded("source", text(event, "source"), SOURCE_LENGTH);
        JsonNode data = event.path("data");
        String orderId = sapKey("data.orderId", bounded("data.orderId", text(data, "orderId"), ORDER_LENGTH));
        String operation = sapKey("data.operation", bounded("data.operation", text(data, "operation"), OPERATION_LENGTH));
        String unit = bounded("data.unit", text(data, "unit"), UNIT_LENGTH);
        if (!unit.matches("\\S+")) {
            throw InvalidEventException.field("data.unit", unit, "must be the ERP's unit of measure without blanks, e.g. PC");
        }
        JsonNode delta = data.path("delta");
        if (!delta.canConvertToLong() || !delta.isIntegralNumber() || delta.asLong() < 1) {
            throw InvalidEventException.field("data.delta", delta.isMissingNode() ? null : delta.toString(),
                    "must be a whole number of parts of at least 1 (the increment the edge counted)");
        }
        String counter = text(data, "counter");
        CounterKind kind;
        try {
            kind = CounterKind.valueOf(InvalidEventException.required("data.counter", counter));
        } catch (IllegalArgumentException e) {
            throw e instanceof InvalidEventException invalid ? invalid
                    : InvalidEventException.field("data.counter", counter, "must be GOOD or SCRAP");
        }
        JsonNode total = data.path("total");
        ProductionCount count = new ProductionCount(orderId, operation, kind, delta.asLong(),
                total.canConvertToLong() ? total.asLong() : 0, unit);
        return new ForwardedCount(id, subject, source, text(event, "correlationid"), time(event), count);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static String bounded(String field, String value, int length) {
        InvalidEventException.required(field, value);
        if (value.length() > length) {
            throw InvalidEventException.field(field, value, "is longer than " + length + " characters");
        }
        return value;
    }

    private static String correlationId(JsonNode event) {
        String correlationId = text(event, "correlationid");
        return correlationId == null ? null : bounded("correlationid", correlationId, ID_LENGTH);
    }

    /** An order or operation as SAP keys it (as {@link OrderContext} takes it on the hub that counted). */
    private static String sapKey(String field, String value) {
        if (!SAP_KEY.matcher(value).matches()) {
            throw InvalidEventException.field(field, value, "must be letters and digits only, as SAP's key");
        }
        return value;
    }

    private static Instant time(JsonNode event) {
        String time = text(event, "time");
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field("time", time, "must be an RFC 3339 timestamp");
        }
    }
}
