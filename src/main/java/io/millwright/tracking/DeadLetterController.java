package io.millwright.tracking;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** REST API of the dead-letter store: list, inspect, resubmit. */
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
        return resubmitter.resubmit(id);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(IllegalArgumentException e) {
        return e.getMessage();
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String conflict(IllegalStateException e) {
        return e.getMessage();
    }
}
