package io.millwright.analytics;

import io.millwright.model.InvalidEventException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/kpi/oee?asset=&from=&to=[&shift=]}: availability, performance, quality and OEE
 * (fractions 0 to 1) with the inputs behind them, for a machine or every machine under an asset
 * path (a line, a site). Admin login today; viewer, analyst or admin once roles exist. Bad input
 * answers 400 with the hub's problem body naming the parameter and the reason
 * (ops.ApiProblemResolver); a lake or cycle-time file that cannot be read, 503 with the reason.
 */
@RestController
class KpiController {

    private final OeeService oee;

    KpiController(OeeService oee) {
        this.oee = oee;
    }

    @GetMapping("/api/kpi/oee")
    OeeService.Answer oee(@RequestParam(required = false) String asset, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String shift) {
        if (asset == null || asset.isBlank()) {
            throw InvalidEventException.field("asset", asset, "is required: a machine's asset path, or a line's or site's prefix");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start)) {
            throw InvalidEventException.field("to", to, "must be after 'from' " + start);
        }
        return oee.oee(asset, start, end, shift == null || shift.isBlank() ? null : shift);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            throw InvalidEventException.field(field, value, "is required: an ISO-8601 UTC time such as 2026-11-30T06:00:00Z");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidEventException.field(field, value, "must be an ISO-8601 UTC time such as 2026-11-30T06:00:00Z");
        }
    }

    /** The lake or the ideal cycle times cannot be read: Spring's RFC 9457 body, as the hub's other errors. */
    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail unavailable(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
