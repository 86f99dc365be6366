package io.millwright.model;

/**
 * Bad input to a canonical record: names the field, the value and the reason, so a dead-letter
 * entry tells the operator what to fix.
 */
public class InvalidEventException extends IllegalArgumentException {

    private final String field;
    private final transient Object value;
    private final String reason;

    private InvalidEventException(String field, Object value, String reason) {
        super(field + "=" + value + ": " + reason);
        this.field = field;
        this.value = value;
        this.reason = reason;
    }

    public static InvalidEventException field(String field, Object value, String reason) {
        return new InvalidEventException(field, value, reason);
    }

    public static <T> T required(String field, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw field(field, value, "is required");
        }
        return value;
    }

    public String field() {
        return field;
    }

    public Object value() {
        return value;
    }

    /** Why the value is wrong, without the field and value the message starts with. */
    public String reason() {
        return reason;
    }
}
