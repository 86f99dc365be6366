package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Parts scrapped on a machine, with why: the scrap counter's increment and the reason code the
 * machine's scrap-reason tag reported, attributed to the order operation running on it.
 *
 * @param kind        what happened to the parts; {@code SCRAP} for now
 * @param quantity    parts scrapped since the previous reading of the scrap counter
 * @param reasonCode  the machine's scrap reason (the latest value of its {@code scrap-reason} tag)
 * @param countEventId id of the production-count event of the same increment
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityEvent(String kind, long quantity, String unit, String reasonCode, String orderId, String operation,
        String countEventId) {

    /** Scrap kind. */
    public static final String SCRAP = "SCRAP";

    public QualityEvent {
        InvalidEventException.required("kind", kind);
        InvalidEventException.required("reasonCode", reasonCode);
        if (quantity < 1) {
            throw InvalidEventException.field("quantity", quantity, "must be at least 1");
        }
    }
}
