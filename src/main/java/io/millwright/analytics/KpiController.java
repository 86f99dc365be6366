package io.millwright.analytics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/kpi/oee?asset=&from=&to=[&shift=]}: availability, performance, quality and OEE
 * (fractions 0 to 1) with the inputs behind them, for a machine or every machine under an asset
 * path (a line, a site). Admin login today; viewer, analyst or admin once roles exist.
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
            throw new IllegalArgumentException("field 'asset' is required: a machine's asset path, or a line's or site's prefix");
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("field 'to' " + end + ": must be after 'from' " + start);
        }
        return oee.oee(asset, start, end, shift == null || shift.isBlank() ? null : shift);
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required: an ISO-8601 UTC time such as 2026-11-30T06:00:00Z");
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' '" + value + "': must be an ISO-8601 UTC time such as 2026-11-30T06:00:00Z");
        }
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String invalid(IllegalArgumentException e) {
        return e.getMessage();
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    String unavailable(IllegalStateException e) {
        return e.getMessage();
    }
}
