package io.millwright.analytics;

import io.millwright.model.InvalidEventException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/analytics/query}: read-only SQL over the data lake ({@link LakeQuery}). Needs the
 * admin login today (every {@code /api/**}); the issue's analyst role applies once roles exist. A
 * refused or failing query answers 400 with the hub's problem body naming the field {@code sql}
 * (ops.ApiProblemResolver); a query over the time limit, 408 with the reason; an S3 lake of which
 * the hub keeps no local copy, 409 with the reason (docs/analytics.md).
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
        try {
            return lakeQuery.query(request.sql(), request.maxRows());
        } catch (LakeQuery.InvalidQueryException e) {
            throw InvalidEventException.field("sql", abbreviate(request.sql()), e.getMessage());
        }
    }

    private static String abbreviate(String sql) {
        return sql == null || sql.length() <= 200 ? sql : sql.substring(0, 200) + "…";
    }

    /** Spring's RFC 9457 body, as the hub's other errors. */
    @ExceptionHandler(LakeQuery.LakeUnreadableException.class)
    ProblemDetail unreadable(LakeQuery.LakeUnreadableException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    /** Spring's RFC 9457 body, as the hub's other errors. */
    @ExceptionHandler(LakeQuery.QueryTimeoutException.class)
    ProblemDetail timeout(LakeQuery.QueryTimeoutException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, e.getMessage());
    }
}
