package io.millwright.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/dispatch}: the MES says which job order operation runs on which work unit
 * (body: {@code mappings/schemas/dispatch.v1.schema.json}). 200 with what it did and the ids of
 * the events it published; 400 naming the field and the reason.
 */
@RestController
class DispatchController {

    private final DispatchService service;
    private final DispatchPublisher publisher;

    DispatchController(DispatchService service, DispatchPublisher publisher) {
        this.service = service;
        this.publisher = publisher;
    }

    @PostMapping(path = "/api/dispatch", consumes = "application/json")
    Map<String, Object> dispatch(@RequestBody String body,
            @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        DispatchService.Result result = service.apply(body, correlationId != null ? correlationId : UUID.randomUUID().toString());
        publisher.publish(result);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workUnit", result.workUnit());
        answer.put("jobOrder", result.orderId());
        answer.put("operation", result.operation());
        answer.put("dispatchStatus", result.dispatchStatus());
        answer.put("events", result.events().stream().map(e -> Map.of("type", e.type(), "id", e.id())).toList());
        return answer;
    }
}
