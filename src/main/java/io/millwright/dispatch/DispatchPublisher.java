package io.millwright.dispatch;

import io.millwright.model.Endpoints;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/** Hands a dispatch's events to the hub's event publishing ({@value Endpoints#EVENT_PUBLISH}). */
@Component
class DispatchPublisher {

    private final ProducerTemplate producer;

    DispatchPublisher(ProducerTemplate producer) {
        this.producer = producer;
    }

    void publish(DispatchService.Result result) {
        if (!result.events().isEmpty()) {
            producer.sendBody(Endpoints.EVENT_PUBLISH, List.copyOf(result.events()));
        }
    }
}
