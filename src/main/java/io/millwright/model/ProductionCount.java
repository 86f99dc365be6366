package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Parts counted on a machine since the previous reading of a cumulative counter: {@code delta}
 * is what this event adds, {@code total} the counter as the machine reports it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductionCount(
        String orderId, String operation, CounterKind counter, long delta, long total, String unit) {

    public ProductionCount {
        InvalidEventException.required("counter", counter);
        if (delta < 0) {
            throw InvalidEventException.field("delta", delta, "must not be negative");
        }
    }
}
