package io.millwright.tracking;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * REST API of the dead-letter store: list, inspect, resubmit. Its errors are the hub's RFC 9457
 * problems ({@code application/problem+json}): bad parameters by {@code ops.ApiProblemResolver}, an
 * unknown entry ({@code 404}) and an entry that cannot be resubmitted ({@code 409}) as
 * {@link ResponseStatusException}s, which Spring renders as problem details
 * ({@code spring.mvc.problemdetails.enabled}) with the reason in {@code detail}.
 */
@RestController
@RequestMapping("/api/dead-letters")
class DeadLetterController {

    private final DeadLetterStore store;
    private final DeadLetterResubmitter resubmitter;

    DeadLetterController(DeadLetterStore store, DeadLetterResubmitter resubmitter) {
        this.store = store;
        this.resubmitter = resubmitter;
    }

    @GetMapping
    List<DeadLetter> list(@RequestParam(required = false) DeadLetter.Status status,
            @RequestParam(defaultValue = "100") int limit) {
        return store.list(status, Math.min(Math.max(limit, 1), 1000));
    }

    @GetMapping("/{id}")
    DeadLetter get(@PathVariable long id) {
        return store.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "dead letter " + id + " does not exist"));
    }

    @PostMapping("/{id}/resubmit")
    DeadLetter resubmit(@PathVariable long id) {
        try {
            return resubmitter.resubmit(id);
        } catch (IllegalArgumentException unknown) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, unknown.getMessage(), unknown);
        } catch (IllegalStateException notParked) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, notParked.getMessage(), notParked);
        }
    }
}
