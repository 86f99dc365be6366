package io.millwright.subscriptions;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * REST API of the subscription registry: {@code POST /api/subscriptions} (idempotent by name: 201
 * created, 200 unchanged, 409 a different one by that name), {@code GET}, {@code PUT},
 * {@code DELETE /api/subscriptions/{name}}, {@code POST .../pause} and {@code .../resume}. Bad
 * input answers 400 with the field and the reason (ops.ApiProblemResolver, for every REST endpoint).
 */
@RestController
@RequestMapping("/api/subscriptions")
class SubscriptionController {

    private final SubscriptionService service;

    SubscriptionController(SubscriptionService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<SubscriptionService.Status> create(@RequestBody Subscription subscription) {
        SubscriptionService.Outcome outcome = service.create(subscription);
        SubscriptionService.Status status = service.get(subscription.name());
        return outcome == SubscriptionService.Outcome.CREATED
                ? ResponseEntity.created(URI.create("/api/subscriptions/" + subscription.name())).body(status)
                : ResponseEntity.ok(status);
    }

    @GetMapping
    List<SubscriptionService.Status> list() {
        return service.list();
    }

    @GetMapping("/{name}")
    SubscriptionService.Status get(@PathVariable String name) {
        return service.get(name);
    }

    @PutMapping("/{name}")
    SubscriptionService.Status replace(@PathVariable String name, @RequestBody Subscription subscription) {
        service.replace(name, subscription);
        return service.get(name);
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        service.delete(name);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{name}/pause")
    SubscriptionService.Status pause(@PathVariable String name) {
        service.pause(name, true);
        return service.get(name);
    }

    @PostMapping("/{name}/resume")
    SubscriptionService.Status resume(@PathVariable String name) {
        service.pause(name, false);
        return service.get(name);
    }

    @GetMapping("/{name}/dead-letters")
    List<WebhookDeadLetters.Entry> deadLetters(@PathVariable String name,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String status) {
        return service.deadLetters(name, status);
    }

    @PostMapping("/{name}/dead-letters/{id}/resend")
    WebhookDeadLetters.Entry resend(@PathVariable String name, @PathVariable long id) {
        return service.resend(name, id);
    }

    @ExceptionHandler(SubscriptionService.SubscriptionNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    Map<String, Object> notFound(RuntimeException e) {
        return error(HttpStatus.NOT_FOUND, null, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    Map<String, Object> conflict(IllegalStateException e) {
        return error(HttpStatus.CONFLICT, null, e.getMessage());
    }

    @ExceptionHandler(SubscriptionService.BrokerUnavailableException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    Map<String, Object> brokerUnavailable(RuntimeException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, null, e.getMessage());
    }

    /** The RFC 9457 members the hub's other errors carry (ops.ApiProblemResolver), with the field named. */
    private static Map<String, Object> error(HttpStatus status, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", message);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }
}
