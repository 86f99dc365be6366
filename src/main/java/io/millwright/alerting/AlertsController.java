package io.millwright.alerting;

import io.millwright.model.InvalidEventException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The alerts the rules raised, from {@code alert_state}:
 * <ul>
 *   <li>{@code GET /api/alerts?state=open|all&limit=} (viewer): open alerts oldest first, or the latest of all newest first;</li>
 *   <li>{@code GET /api/alerts/{id}} (viewer);</li>
 *   <li>{@code POST /api/alerts/{id}/acknowledge} (operator): who and when are kept;</li>
 *   <li>{@code POST /api/alerts/{id}/silence?for=2h} (operator): no channel delivery for the alert's
 *       rule and key until then (at most 7 days); the {@code alert} events are still published.</li>
 * </ul>
 * Both actions are in the audit log (every POST under {@code /api/} is). Bad input answers 400
 * problem+json naming the parameter; an unknown alert 404.
 */
@RestController
@RequestMapping("/api/alerts")
@ConditionalOnProperty(name = "millwright.alerting.enabled", havingValue = "true", matchIfMissing = true)
class AlertsController {

    static final Duration LONGEST_SILENCE = Duration.ofDays(7);

    record Alerts(String state, List<AlertStore.StoredAlert> alerts) {}

    private final AlertStore store;

    AlertsController(AlertStore store) {
        this.store = store;
    }

    @GetMapping
    Alerts list(@RequestParam(defaultValue = "open") String state, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw InvalidEventException.field("limit", limit, "must be from 1 to 1000");
        }
        return switch (state) {
            case "open" -> new Alerts(state, store.open().stream().limit(limit).toList());
            case "all" -> new Alerts(state, store.latest(limit));
            default -> throw InvalidEventException.field("state", state, "must be open or all");
        };
    }

    @GetMapping("/{id}")
    AlertStore.StoredAlert one(@PathVariable String id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping({"/{id}/acknowledge", "/{id}/ack"})
    AlertStore.StoredAlert acknowledge(@PathVariable String id, Principal user) {
        if (!store.acknowledge(id, user.getName(), Instant.now())) {
            throw notFound(id);
        }
        return one(id);
    }

    @PostMapping("/{id}/silence")
    AlertStore.StoredAlert silence(@PathVariable String id, @RequestParam(name = "for", required = false) String forText, Principal user) {
        InvalidEventException.required("for", forText);
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(forText.trim());
        } catch (IllegalArgumentException e) {
            throw InvalidEventException.field("for", forText, "is not a duration such as 30m or 2h");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_SILENCE) > 0) {
            throw InvalidEventException.field("for", forText, "must be longer than 0 and at most 7d");
        }
        Instant now = Instant.now();
        if (!store.silence(id, user.getName(), now.plus(duration), now)) {
            throw notFound(id);
        }
        return one(id);
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no alert '" + id + "'");
    }
}
