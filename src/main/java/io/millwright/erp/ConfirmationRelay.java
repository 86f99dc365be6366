package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.ProductionConfirmation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of the relay routes: which outbox rows are due, and delivering one to SAP exactly
 * once in effect (read back before any repeated POST). Failures are thrown, and the route's
 * onException clauses decide what happens (park and dead-letter, or wait).
 */
@Component
class ConfirmationRelay {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationRelay.class);

    private final ConfirmationOutbox outbox;
    private final SapConfirmationClient sap;
    private final ErpProperties settings;
    private final ObjectMapper json;
    private final Clock clock;

    ConfirmationRelay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json) {
        this.outbox = outbox;
        this.sap = sap;
        this.settings = settings;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /**
     * Pending rows whose back-off has passed, oldest first. Once a row of an order is not due,
     * later rows of that order wait too, so SAP receives each order's confirmations in order.
     */
    List<OutboxEntry> due() {
        Instant now = clock.instant();
        Set<String> blockedOrders = new HashSet<>();
        List<OutboxEntry> due = new ArrayList<>();
        for (OutboxEntry entry : outbox.pending(settings.relayBatchSize())) {
            String order = entry.confirmation().orderId();
            if (blockedOrders.contains(order)) {
                continue;
            }
            if (entry.attempts() > 0 && entry.updatedAt().plus(backoff(entry.attempts())).isAfter(now)) {
                blockedOrders.add(order);
            } else {
                due.add(entry);
            }
        }
        return due;
    }

    /** Wait after {@code attempts} failed attempts: retry-backoff doubled per attempt, capped. */
    Duration backoff(int attempts) {
        Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(settings.maxRetryBackoff()) > 0 ? settings.maxRetryBackoff() : wait;
    }

    /**
     * Delivers one row: if an earlier attempt may have reached SAP, reads back first and never
     * posts twice; otherwise counts the attempt and posts.
     */
    void deliver(OutboxEntry entry) {
        ProductionConfirmation c = entry.confirmation();
        if (entry.attempts() > 0) {
            Optional<PostedConfirmation> held = sap.findByIdempotencyKey(c.idempotencyKey());
            if (held.isPresent()) {
                outbox.markPosted(c.idempotencyKey(), held.get());
                log.info("Confirmation found in SAP after uncertain attempt order={} operation={} key={} group={} count={}",
                        c.orderId(), c.operation(), c.idempotencyKey(), held.get().confirmationGroup(), held.get().confirmationCount());
                return;
            }
        }
        outbox.markAttempt(c.idempotencyKey());
        PostedConfirmation posted = sap.post(c);
        outbox.markPosted(c.idempotencyKey(), posted);
        log.info("Confirmation posted order={} operation={} yield={} unit={} key={} group={} count={}",
                c.orderId(), c.operation(), c.yieldQuantity().toPlainString(), c.unit(), c.idempotencyKey(),
                posted.confirmationGroup(), posted.confirmationCount());
    }

    /** SAP refused: the row is parked with the reason; returns the payload to dead-letter. */
    String park(OutboxEntry entry, ErpRejectedException rejection) throws JsonProcessingException {
        outbox.markParked(entry.idempotencyKey(), rejection.getMessage());
        return json.writeValueAsString(entry.confirmation());
    }

    /** SAP gave no verdict: the row stays pending with the reason. */
    void wait(OutboxEntry entry, ErpException failure) {
        outbox.markWaiting(entry.idempotencyKey(), failure.getMessage());
        log.debug("Confirmation waits for SAP key={} attempts={} reason={}", entry.idempotencyKey(), entry.attempts(),
                failure.getMessage());
    }

    /** A resubmitted dead letter (the confirmation's JSON) goes back into the outbox as pending. */
    void requeue(String payload) throws JsonProcessingException {
        ProductionConfirmation confirmation = json.readValue(payload, ProductionConfirmation.class);
        outbox.requeue(confirmation);
        log.info("Confirmation requeued order={} operation={} key={}", confirmation.orderId(), confirmation.operation(),
                confirmation.idempotencyKey());
    }
}
