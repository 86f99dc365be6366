package io.millwright.erp;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * REST API of ERP document tracking ({@code /api/tracking}): list and inspect what went (or goes)
 * to the ERP with its lineage; resubmit or discard a parked document, each action audited with the
 * user. Behind the admin login like every {@code /api/} path (viewer: GET; operator: resubmit,
 * discard, once the roles exist).
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

    @PostMapping("/{key}/resubmit")
    Map<String, Object> resubmit(@PathVariable String key, Principal user) {
        tracking.resubmit(key, user == null ? "anonymous" : user.getName());
        return get(key);
    }

    /** Body: {@code {"reason": "..."}}. */
    @PostMapping("/{key}/discard")
    Map<String, Object> discard(@PathVariable String key, @RequestBody(required = false) Map<String, String> body, Principal user) {
        tracking.discard(key, body == null ? null : body.get("reason"), user == null ? "anonymous" : user.getName());
        return get(key);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    Map<String, String> badRequest(IllegalArgumentException e) {
        return Map.of("error", e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    Map<String, String> conflict(IllegalStateException e) {
        return Map.of("error", e.getMessage());
    }
}
