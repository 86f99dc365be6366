package io.millwright.analytics;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.EventType;
import io.millwright.model.IsoInstants;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;

/**
 * The columns of the lake's Parquet files for one event type: the CloudEvents attributes, then the
 * fields of the event's {@code data} (docs/analytics.md lists them). The event name ({@code signal})
 * is not a column of the file: it is the Hive partition {@code type=<name>}, which DuckDB, Spark and
 * Trino read as column {@code type} (Spark refuses a column that is both in the file and in the
 * path); the versioned CloudEvents type is column {@code cetype}.
 */
final class LakeColumns {

    // compiled once: JsonNode.at(String) compiles its pointer on every call, a dozen times per lake row
    private static final JsonPointer VALUE = JsonPointer.compile("/data/value");
    private static final JsonPointer FINAL_CONFIRMATION = JsonPointer.compile("/data/finalConfirmation");

    /** How one column is read from the event JSON and appended. */
    private interface Reader {
        void append(DuckDBAppender appender, JsonNode event) throws SQLException;
    }

    private record Column(String name, String sqlType, Reader reader) {}

    private final List<Column> columns;

    private LakeColumns(List<Column> columns) {
        this.columns = columns;
    }

    /** The columns of an event type; a type without its own list keeps {@code data} as JSON text. */
    static LakeColumns of(String eventName) {
        List<Column> columns = new ArrayList<>(List.of(
                text("id", "/id"),
                text("cetype", "/type"),
                text("source", "/source"),
                text("subject", "/subject"),
                timestamp("time", "/time"),
                timestamp("receivedtime", "/receivedtime"),
                text("correlationid", "/correlationid")));
        if (eventName.equals(EventType.SIGNAL.eventName())) {
            columns.add(text("tag", "/data/tag"));
            columns.add(new Column("value", "DOUBLE", LakeColumns::numericValue));
            columns.add(new Column("value_text", "VARCHAR", LakeColumns::textValue));
            columns.add(text("unit", "/data/unit"));
            columns.add(text("quality", "/data/quality"));
            columns.add(text("statuscode", "/data/statusCode"));
            columns.add(text("name", "/data/name"));
        } else if (eventName.equals(EventType.MACHINE_STATE.eventName())) {
            columns.add(text("state", "/data/state"));
            columns.add(text("previousstate", "/data/previousState"));
            columns.add(text("orderid", "/data/orderId"));
            columns.add(text("operation", "/data/operation"));
        } else if (eventName.equals(EventType.PRODUCTION_COUNT.eventName())) {
            columns.add(text("orderid", "/data/orderId"));
            columns.add(text("operation", "/data/operation"));
            columns.add(text("counter", "/data/counter"));
            columns.add(bigint("delta", "/data/delta"));
            columns.add(bigint("total", "/data/total"));
            columns.add(text("unit", "/data/unit"));
        } else if (eventName.equals(EventType.PRODUCTION_CONFIRMATION.eventName())) {
            columns.add(text("orderid", "/data/orderId"));
            columns.add(text("operation", "/data/operation"));
            columns.add(decimal("yieldquantity", "/data/yieldQuantity"));
            columns.add(decimal("scrapquantity", "/data/scrapQuantity"));
            columns.add(text("unit", "/data/unit"));
            columns.add(new Column("finalconfirmation", "BOOLEAN", (a, e) -> {
                JsonNode v = e.at(FINAL_CONFIRMATION);
                if (v.isBoolean()) {
                    a.append(v.booleanValue());
                } else {
                    a.appendNull();
                }
            }));
            columns.add(text("postingdate", "/data/postingDate"));
            columns.add(text("idempotencykey", "/data/idempotencyKey"));
        } else {
            columns.add(new Column("data", "VARCHAR", (a, e) -> {
                JsonNode data = e.get("data");
                if (data == null || data.isNull()) {
                    a.appendNull();
                } else {
                    a.append(data.toString());
                }
            }));
        }
        return new LakeColumns(List.copyOf(columns));
    }

    /** {@code CREATE TABLE} column list, e.g. {@code "id" VARCHAR, "time" TIMESTAMPTZ, ...}. */
    String ddl() {
        StringBuilder sql = new StringBuilder();
        for (Column column : columns) {
            if (!sql.isEmpty()) {
                sql.append(", ");
            }
            sql.append('"').append(column.name()).append("\" ").append(column.sqlType());
        }
        return sql.toString();
    }

    List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    void appendRow(DuckDBAppender appender, JsonNode event) throws SQLException {
        appender.beginRow();
        for (Column column : columns) {
            column.reader().append(appender, event);
        }
        appender.endRow();
    }

    /**
     * Appends a signal's row straight from its flat form, in the order of {@link #of}'s signal
     * columns: the same values the JSON readers give for the same event.
     */
    static void appendSignal(DuckDBAppender a, SignalEvent s) throws SQLException {
        a.beginRow();
        text(a, s.id());
        text(a, s.type());
        text(a, s.source());
        text(a, s.subject());
        micros(a, s.timeMicros());
        micros(a, s.receivedMicros());
        text(a, s.correlationid());
        text(a, s.tag());
        if (s.hasNumber()) {
            a.append(s.number());
        } else {
            a.appendNull();
        }
        text(a, s.valueText());
        text(a, s.unit());
        text(a, s.quality());
        text(a, s.statusCode());
        text(a, s.name());
        a.endRow();
    }

    private static void text(DuckDBAppender a, String value) throws SQLException {
        if (value == null) {
            a.appendNull();
        } else {
            a.append(value);
        }
    }

    private static void micros(DuckDBAppender a, long micros) throws SQLException {
        if (micros == SignalEvent.ABSENT) {
            a.appendNull();
        } else {
            a.appendEpochMicros(micros);
        }
    }

    private static Column text(String name, String pointer) {
        JsonPointer at = JsonPointer.compile(pointer);
        return new Column(name, "VARCHAR", (a, e) -> {
            JsonNode v = e.at(at);
            if (v.isMissingNode() || v.isNull()) {
                a.appendNull();
            } else {
                a.append(v.asText());
            }
        });
    }

    private static Column bigint(String name, String pointer) {
        JsonPointer at = JsonPointer.compile(pointer);
        return new Column(name, "BIGINT", (a, e) -> {
            JsonNode v = e.at(at);
            if (v.isIntegralNumber()) {
                a.append(v.longValue());
            } else {
                a.appendNull();
            }
        });
    }

    private static Column decimal(String name, String pointer) {
        JsonPointer at = JsonPointer.compile(pointer);
        return new Column(name, "DECIMAL(18,3)", (a, e) -> {
            JsonNode v = e.at(at);
            if (v.isNumber()) {
                a.append(v.decimalValue().setScale(3, java.math.RoundingMode.HALF_UP));
            } else {
                a.appendNull();
            }
        });
    }

    private static Column timestamp(String name, String pointer) {
        JsonPointer at = JsonPointer.compile(pointer);
        return new Column(name, "TIMESTAMPTZ", (a, e) -> {
            JsonNode v = e.at(at);
            if (v.isTextual()) {
                Instant instant = IsoInstants.parse(v.textValue());
                a.appendEpochMicros(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
            } else {
                a.appendNull();
            }
        });
    }

    /** A signal's value as a number: numbers as they are, booleans 1 and 0, anything else null. */
    static Double numeric(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? 1.0 : 0.0;
        }
        return null;
    }

    private static void numericValue(DuckDBAppender a, JsonNode e) throws SQLException {
        Double number = numeric(e.at(VALUE));
        if (number == null) {
            a.appendNull();
        } else {
            a.append(number.doubleValue());
        }
    }

    private static void textValue(DuckDBAppender a, JsonNode e) throws SQLException {
        JsonNode v = e.at(VALUE);
        if (v.isMissingNode() || v.isNull()) {
            a.appendNull();
        } else {
            a.append(v.isValueNode() ? v.asText() : v.toString());
        }
    }

    /** A SQL identifier for an event name: {@code machine-state} is {@code machine_state}. */
    static String viewName(String eventName) {
        return eventName.replace('-', '_').toLowerCase(Locale.ROOT);
    }
}
