package io.millwright.erp;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * REST API of ERP document tracking ({@code /api/tracking}): list and inspect what went (or goes)
 * to the ERP with its lineage; resubmit (one, optionally with an edited payload, or all parked
 * ones a query matches) or discard a parked document, each action audited with the user. Viewer:
 * GET; operator: resubmit, discard (see {@code security.AuthorizationRules}). Errors answer RFC 9457
 * problem details: 400 naming the field, 404, 409 when the document's state does not allow the
 * action, 502 when the ERP could not be read.
 */
@RestController
@RequestMapping("/api/tracking")
class TrackingController {

    private final ConfirmationTracking tracking;

    TrackingController(ConfirmationTracking tracking) {
        this.tracking = tracking;
    }

    /** A page of records, oldest first; pass {@code next} as {@code page} for the following one. */
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String order, @RequestParam(required = false) String operation,
            @RequestParam(required = false) String asset, @RequestParam(required = false) String status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "100") int limit) {
        return tracking.list(new ConfirmationTracking.Query(order, operation, asset, status, from, to),
                Math.max(page, 0), Math.min(Math.max(limit, 1), 1000));
    }

    @GetMapping("/{key}")
    Map<String, Object> get(@PathVariable String key) {
        return tracking.get(key).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "document " + key + " does not exist"));
    }

    /**
     * Resubmits a parked document, read back from the ERP before any POST. With a body
     * ({@code {"yieldQuantity", "scrapQuantity", "unit", "postingDate", "reason"}}, each optional) an
     * edited copy with its own key replaces it, and the answer is that copy's record.
     */
    @PostMapping("/{key}/resubmit")
    Map<String, Object> resubmit(@PathVariable String key, @RequestBody(required = false) ConfirmationTracking.Edit edit,
            Principal user) {
        return get(tracking.resubmitEdited(key, edit, name(user)));
    }

    /** Resubmits every parked document the query matches; answers how many and which. */
    @PostMapping("/resubmit")
    Map<String, Object> resubmitAll(@RequestParam(required = false) String order, @RequestParam(required = false) String operation,
            @RequestParam(required = false) String asset, @RequestParam(required = false) String status,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to, Principal user) {
        List<String> keys = tracking.resubmitAll(new ConfirmationTracking.Query(order, operation, asset, status, from, to), name(user));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("resubmitted", keys.size());
        answer.put("keys", keys);
        return answer;
    }

    /** Body: {@code {"reason": "..."}}. Closes the document's dead letter as well. */
    @PostMapping("/{key}/discard")
    Map<String, Object> discard(@PathVariable String key, @RequestBody(required = false) Map<String, String> body, Principal user) {
        tracking.discard(key, body == null ? null : body.get("reason"), name(user));
        return get(key);
    }

    private static String name(Principal user) {
        return user == null ? "anonymous" : user.getName();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        boolean unknown = e.getMessage() != null && e.getMessage().endsWith("does not exist");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(unknown ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST, e.getMessage());
        if (e instanceof ConfirmationTracking.InvalidFieldException invalid) {
            problem.setProperty("errors", List.of(Map.of("name", invalid.field(), "in", "body",
                    "reason", e.getMessage().substring(invalid.field().length() + 2))));
        } else if (e.getMessage() != null && e.getMessage().startsWith("status=")) {
            problem.setProperty("errors", List.of(Map.of("name", "status", "in", "query", "reason", e.getMessage())));
        }
        return problem;
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ErpUnavailableException.class)
    ProblemDetail erpUnavailable(ErpUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "the ERP could not be read, nothing was changed: " + e.getMessage());
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
