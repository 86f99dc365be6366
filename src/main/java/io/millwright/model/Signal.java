package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One shop-floor value, normalized: the source tag, its name in the asset registry (the tag's
 * {@code name:} or the rule that resolved it, e.g. {@code temperature}; side routes key rollups and
 * anomalies by it), its value (null when BAD), unit, quality and the raw status code as the source
 * reported it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signal(String tag, String name, Object value, String unit, Quality quality, String statusCode) {

    /** A signal without a registry name (a source value before enrichment, tests). */
    public Signal(String tag, Object value, String unit, Quality quality, String statusCode) {
        this(tag, null, value, unit, quality, statusCode);
    }

    public Signal {
        InvalidEventException.required("tag", tag);
        InvalidEventException.required("quality", quality);
        if (quality == Quality.BAD && value != null) {
            throw InvalidEventException.field("value", value, "must be null when quality is BAD");
        }
    }
}
