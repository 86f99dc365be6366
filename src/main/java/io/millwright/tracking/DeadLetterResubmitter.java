package io.millwright.tracking;

import io.millwright.model.MessageHeaders;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Sends a parked message back to the route that failed on it, as it arrived there. If it fails
 * again, that route's error policy parks it anew with the new reason: nothing is lost.
 */
@Service
public class DeadLetterResubmitter {


    private static final Logger log = LoggerFactory.getLogger(DeadLetterResubmitter.class);

    private final DeadLetterStore store;
    private final ProducerTemplate producer;

    public DeadLetterResubmitter(DeadLetterStore store, ProducerTemplate producer) {
        this.store = store;
        this.producer = producer;
    }

    /**
     * Resubmits a parked entry.
     *
     * @throws IllegalArgumentException if there is no such entry
     * @throws IllegalStateException if it is not parked or has no endpoint to go back to
     */
    public DeadLetter resubmit(long id) {
        DeadLetter entry = store.find(id)
                .orElseThrow(() -> new IllegalArgumentException("dead letter " + id + " does not exist"));
        if (entry.status() != DeadLetter.Status.PARKED) {
            throw new IllegalStateException("dead letter " + id + " is " + entry.status() + ", only PARKED ones can be resubmitted");
        }
        if (entry.endpointUri() == null) {
            throw new IllegalStateException("dead letter " + id + " has no endpoint to resubmit to (route " + entry.routeId() + ")");
        }
        if (!store.markResubmitted(id)) {
            throw new IllegalStateException("dead letter " + id + " was resubmitted concurrently");
        }
        try {
            producer.sendBodyAndHeader(entry.endpointUri(), entry.payload(), MessageHeaders.RESUBMITTED_FROM, id);
        } catch (RuntimeException e) {
            // no route took it (e.g. the endpoint is gone): it stays parked, nothing is lost
            store.reopen(id);
            throw new IllegalStateException("dead letter " + id + " could not be sent to " + entry.endpointUri()
                    + ": " + e.getMessage() + "; it stays PARKED", e);
        }
        log.info("Dead letter resubmitted deadLetterId={} routeId={} endpoint={}", id, entry.routeId(), entry.endpointUri());
        return store.find(id).orElseThrow();
    }
}
