package io.millwright.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The business outcome a flow serves ("align cloud investments with business outcomes"): each route
 * names one in its route property {@link #ROUTE_PROPERTY}, and {@code GET /api/outcomes} reports the
 * KPIs of each.
 */
public enum Outcome {
    THROUGHPUT, QUALITY, COST, SAFETY, PREDICTABILITY;

    /** The route property that names a flow's outcome, e.g. {@code outcome=throughput}. */
    public static final String ROUTE_PROPERTY = "outcome";

    /** The lower-case word used in route properties and the API. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a route property names, if it names one. */
    public static Optional<Outcome> parse(Object text) {
        if (text == null) {
            return Optional.empty();
        }
        String word = String.valueOf(text).trim();
        return Arrays.stream(values()).filter(o -> o.text().equals(word)).findFirst();
    }
}
