package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One shop-floor value, normalized: the source tag, its value (null when BAD), unit, quality and
 * the raw status code as the source reported it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Signal(String tag, Object value, String unit, Quality quality, String statusCode) {

    public Signal {
        InvalidEventException.required("tag", tag);
        InvalidEventException.required("quality", quality);
        if (quality == Quality.BAD && value != null) {
            throw InvalidEventException.field("value", value, "must be null when quality is BAD");
        }
    }
}
