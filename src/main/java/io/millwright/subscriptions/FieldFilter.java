package io.millwright.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A subscription's optional field conditions on the event's data, all of which must hold:
 * <pre>
 * {"data.state": "RUNNING"}                       equals (a string, number or boolean)
 * {"data.quantity": {"gt": 10}}                   gt, gte, lt, lte (numbers), eq, ne, in (a list)
 * {"data.state": {"in": ["DOWN", "IDLE"]}, "data.reasonCode": "S01"}
 * </pre>
 * Keys name a top-level field of the CloudEvent's {@code data} ({@code data.<field>}). An event
 * without the field does not match. The broker applies the same conditions for queue and webhook
 * deliveries (an Artemis filter over the {@code mw_data_<field>} properties the hub sets on every
 * durable event, {@link MessageHeaders#DATA_FIELD_PREFIX}); the Kafka forwarder applies
 * {@link #matches(JsonNode)} to the JSON.
 */
final class FieldFilter {

    /** The filter that lets every event through. */
    static final FieldFilter NONE = new FieldFilter(List.of());

    private static final Pattern KEY = Pattern.compile("data\\.([A-Za-z][A-Za-z0-9_]{0,63})");
    private static final Set<String> OPERATORS = Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in");

    /** One condition on one field. */
    private record Condition(String field, String operator, Object value) {}

    private final List<Condition> conditions;

    private FieldFilter(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /**
     * Parses and checks the {@code filter} member; a bad condition throws naming the field
     * ({@code filter.data.quantity}) and the reason. Null or empty: {@link #NONE}.
     */
    static FieldFilter parse(Map<String, Object> filter) {
        if (filter == null || filter.isEmpty()) {
            return NONE;
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, Object> entry : filter.entrySet()) {
            String where = "filter." + entry.getKey();
            var key = KEY.matcher(entry.getKey());
            if (!key.matches()) {
                throw InvalidEventException.field("filter", entry.getKey(),
                        "keys name a field of the event's data: data.<field>, e.g. data.state");
            }
            String field = key.group(1);
            if (entry.getValue() instanceof Map<?, ?> operators) {
                if (operators.isEmpty()) {
                    throw InvalidEventException.field(where, operators, "needs an operator: " + OPERATORS);
                }
                for (Map.Entry<?, ?> op : operators.entrySet()) {
                    conditions.add(condition(where, field, String.valueOf(op.getKey()), op.getValue()));
                }
            } else {
                conditions.add(condition(where, field, "eq", entry.getValue()));
            }
        }
        return new FieldFilter(List.copyOf(conditions));
    }

    private static Condition condition(String where, String field, String operator, Object value) {
        if (!OPERATORS.contains(operator)) {
            throw InvalidEventException.field(where, operator, "is not an operator; use one of eq, ne, gt, gte, lt, lte, in");
        }
        switch (operator) {
            case "gt", "gte", "lt", "lte" -> {
                if (!(value instanceof Number)) {
                    throw InvalidEventException.field(where, value, "'" + operator + "' needs a number");
                }
            }
            case "in" -> {
                if (!(value instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(FieldFilter::isScalar)) {
                    throw InvalidEventException.field(where, value, "'in' needs a non-empty list of strings, numbers or booleans");
                }
            }
            default -> {
                if (!isScalar(value)) {
                    throw InvalidEventException.field(where, value, "'" + operator + "' needs a string, number or boolean");
                }
            }
        }
        return new Condition(field, operator, value);
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    boolean isEmpty() {
        return conditions.isEmpty();
    }

    /** Whether a structured CloudEvent's data meets every condition. */
    boolean matches(JsonNode event) {
        JsonNode data = event.path("data");
        for (Condition c : conditions) {
            JsonNode value = data.path(c.field());
            if (!value.isValueNode() || value.isNull() || !holds(c, value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Condition c, JsonNode value) {
        return switch (c.operator()) {
            case "eq" -> same(value, c.value());
            case "ne" -> !same(value, c.value());
            case "in" -> ((List<?>) c.value()).stream().anyMatch(v -> same(value, v));
            default -> value.isNumber() && compare(value.asDouble(), ((Number) c.value()).doubleValue(), c.operator());
        };
    }

    private static boolean compare(double actual, double limit, String operator) {
        return switch (operator) {
            case "gt" -> actual > limit;
            case "gte" -> actual >= limit;
            case "lt" -> actual < limit;
            default -> actual <= limit;
        };
    }

    private static boolean same(JsonNode value, Object expected) {
        if (expected instanceof Number n) {
            return value.isNumber() && value.asDouble() == n.doubleValue();
        }
        if (expected instanceof Boolean b) {
            return value.isBoolean() && value.asBoolean() == b;
        }
        return value.isTextual() && value.asText().equals(expected);
    }

    /**
     * The same conditions as an Artemis filter expression (JMS selector syntax) over the
     * {@code mw_data_<field>} message properties, or {@code null} when there are none.
     */
    String artemisFilter() {
        if (conditions.isEmpty()) {
            return null;
        }
        return conditions.stream().map(FieldFilter::expression).collect(Collectors.joining(" AND "));
    }

    private static String expression(Condition c) {
        String property = MessageHeaders.DATA_FIELD_PREFIX + c.field();
        return switch (c.operator()) {
            case "eq" -> property + " = " + literal(c.value());
            case "ne" -> property + " <> " + literal(c.value());
            case "gt" -> property + " > " + literal(c.value());
            case "gte" -> property + " >= " + literal(c.value());
            case "lt" -> property + " < " + literal(c.value());
            case "lte" -> property + " <= " + literal(c.value());
            default -> {
                List<?> values = (List<?>) c.value();
                // the selector's IN takes strings only; numbers and booleans become ORed equalities
                yield values.stream().allMatch(v -> v instanceof String)
                        ? property + " IN (" + values.stream().map(FieldFilter::literal).collect(Collectors.joining(", ")) + ")"
                        : "(" + values.stream().map(v -> property + " = " + literal(v)).collect(Collectors.joining(" OR ")) + ")";
            }
        };
    }

    private static String literal(Object value) {
        if (value instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        return String.valueOf(value);
    }

    /** The conditions as given, normalised (for storage and the API). */
    static Map<String, Object> normalize(Map<String, Object> filter) {
        return filter == null || filter.isEmpty() ? null : new LinkedHashMap<>(filter);
    }

    /** Combines two filter expressions with AND; either may be null. */
    static String and(String left, String right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        return "(" + left + ") AND (" + right + ")";
    }
}
