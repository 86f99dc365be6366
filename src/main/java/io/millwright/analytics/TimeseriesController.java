package io.millwright.analytics;

import io.millwright.model.InvalidEventException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/timeseries?asset=&tag=&from=&to=&step=1m|1h}: the rollups of one tag (by its
 * registry name) of one asset, the buckets that start in [from, to). Admin login today; viewer,
 * analyst or admin once roles exist. Bad input answers 400 with the hub's problem body naming the
 * parameter and the reason (ops.ApiProblemResolver).
 */
@RestController
class TimeseriesController {

    /** The answer: what was asked, and the buckets oldest first. */
    record Timeseries(String asset, String tag, String step, Instant from, Instant to, List<RollupStore.Point> points) {}

    private final RollupStore store;
    private final RollupAggregator held;
    private final AnalyticsProperties properties;

    /** @param held the buckets not merged yet, read with the stored ones; null when the rollups are off */
    TimeseriesController(RollupStore store, ObjectProvider<RollupAggregator> held, AnalyticsProperties properties) {
        this.store = store;
        this.held = held.getIfAvailable();
        this.properties = properties;
    }

    @GetMapping("/api/timeseries")
    Timeseries timeseries(@RequestParam(required = false) String asset, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "1m") String step) {
        RollupStep rollup = step(step);
        String assetPath = required("asset", asset);
        String tagName = required("tag", tag);
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start)) {
            throw InvalidEventException.field("to", to, "must be after 'from' " + start);
        }
        long buckets = Duration.between(start, end).toMillis() / rollup.length().toMillis();
        int maxPoints = properties.rollups().maxPoints();
        if (buckets > maxPoints) {
            throw InvalidEventException.field("to", to, "gives " + buckets + " buckets of " + rollup.text() + " from 'from' " + start
                    + ", more than the limit of " + maxPoints + " (millwright.analytics.rollups.max-points); use step=1h or a shorter range");
        }
        return new Timeseries(assetPath, tagName, rollup.text(), start, end, held != null
                ? held.points(rollup, assetPath, tagName, start, end)
                : store.points(rollup, assetPath, tagName, start, end));
    }

    private static RollupStep step(String text) {
        try {
            return RollupStep.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field("step", text, "must be 1m or 1h");
        }
    }

    private static String required(String field, String value) {
        return InvalidEventException.required(field, value);
    }

    private static Instant instant(String field, String value) {
        required(field, value);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field(field, value, "must be an ISO-8601 UTC time such as 2026-11-30T08:00:00Z");
        }
    }
}
