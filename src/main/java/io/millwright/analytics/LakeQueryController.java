package io.millwright.analytics;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/analytics/query}: read-only SQL over the data lake ({@link LakeQuery}). Needs the
 * admin login today (every {@code /api/**}); the issue's analyst role applies once roles exist.
 */
@RestController
@RequestMapping("/api/analytics")
class LakeQueryController {

    private final LakeQuery lakeQuery;

    LakeQueryController(LakeQuery lakeQuery) {
        this.lakeQuery = lakeQuery;
    }

    /**
     * The request: one SELECT, and optionally fewer rows than the configured limit.
     *
     * @param sql e.g. {@code SELECT subject, avg(value) FROM signal WHERE date = '2026-11-30' GROUP BY subject}
     * @param maxRows at most this many rows (capped by {@code millwright.analytics.query.max-rows})
     */
    record QueryRequest(String sql, Integer maxRows) {}

    @PostMapping("/query")
    LakeQuery.Result query(@RequestBody QueryRequest request) {
        return lakeQuery.query(request.sql(), request.maxRows());
    }

    @ExceptionHandler(LakeQuery.InvalidQueryException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String invalid(LakeQuery.InvalidQueryException e) {
        return e.getMessage();
    }

    @ExceptionHandler(LakeQuery.QueryTimeoutException.class)
    @ResponseStatus(HttpStatus.REQUEST_TIMEOUT)
    String timeout(LakeQuery.QueryTimeoutException e) {
        return e.getMessage();
    }
}
