package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.ProductionConfirmation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of the relay routes: which outbox rows are due, and delivering one to SAP exactly
 * once in effect. Failures are thrown, and the route's onException clauses decide what happens
 * (park and dead-letter, or wait).
 *
 * <p>The guarantees (issue 8): a relay posts only a row it {@linkplain ConfirmationOutbox#claim
 * claimed}, and decides on the row as it is after the claim, so two relays on one database never
 * post the same row (hole 3); a row that may be in SAP already (an earlier POST, a resubmit) is read
 * back before any POST, and when SAP gave no answer, not before its processing timeout has passed
 * (hole 4); due rows are the oldest pending row of each order, so one order that waits never holds
 * up the others (hole 6); parking and its dead letter are one transaction (hole 5).
 */
@Component
class ConfirmationRelay {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationRelay.class);

    private final ConfirmationOutbox outbox;
    private final SapConfirmationClient sap;
    private final ErpProperties settings;
    private final ObjectMapper json;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final String relayId;
    private final CircuitBreaker breaker;
    private final ErpMetrics metrics;
    private ErpDocumentTypes types;
    private int postBatchSize = 1;

    @Autowired
    ConfirmationRelay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json,
            TransactionTemplate transaction, ErpMetrics metrics, org.springframework.beans.factory.ObjectProvider<ErpDocumentTypes> types) {
        this(outbox, sap, settings, json, transaction, Clock.systemUTC(), defaultRelayId(), metrics);
        types.ifAvailable(this::withTypes);
        withPostBatchSize(settings.postBatchSize());
    }

    ConfirmationRelay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json,
            TransactionTemplate transaction, Clock clock, String relayId) {
        this(outbox, sap, settings, json, transaction, clock, relayId, ErpMetrics.none());
    }

    ConfirmationRelay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json,
            TransactionTemplate transaction, Clock clock, String relayId, ErpMetrics metrics) {
        this.outbox = outbox;
        this.sap = sap;
        this.settings = settings;
        this.json = json;
        this.transaction = transaction;
        this.clock = clock;
        this.relayId = relayId;
        this.breaker = breaker(settings);
        this.metrics = metrics;
        this.types = ErpDocumentTypes.confirmations(sap);
    }

    /** The relay posts these document types (production confirmations only unless set). */
    ConfirmationRelay withTypes(ErpDocumentTypes types) {
        this.types = types;
        return this;
    }

    /**
     * Opens when half of the last 10 calls to SAP (at least 5) got no verdict; while open, no call
     * goes out and rows wait as for an unavailable SAP (the fallback drops nothing); after the
     * longest back-off (at most 30 s) three trial calls decide whether it closes. Refusals (a
     * verdict) do not count as failures.
     */
    static CircuitBreaker breaker(ErpProperties settings) {
        Duration open = settings.maxRetryBackoff().compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                : settings.maxRetryBackoff();
        return CircuitBreaker.of("erp-sap", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(open)
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordExceptions(ErpUnavailableException.class)
                .ignoreExceptions(ErpRejectedException.class)
                .build());
    }

    /** The breaker in front of SAP, for metrics and tests. */
    CircuitBreaker breaker() {
        return breaker;
    }

    /** A call to SAP through the breaker; an open breaker is "no verdict", so the row waits and nothing is dropped. */
    private <T> T throughBreaker(java.util.function.Supplier<T> call, OutboxEntry c) {
        try {
            return breaker.executeSupplier(call);
        } catch (CallNotPermittedException e) {
            throw new ErpUnavailableException("SAP calls paused: the circuit breaker is open after repeated failures key="
                    + c.idempotencyKey(), c.orderId(), c.operation(), c.idempotencyKey(), 0, e, true);
        }
    }

    private static String defaultRelayId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        String id = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() <= 64 ? id : id.substring(id.length() - 64);
    }

    /** Who claims rows: host, process and a random part, unique per relay instance. */
    String relayId() {
        return relayId;
    }

    /**
     * The oldest pending row of each order, when it is due: no other relay holds it, its back-off
     * has passed, and if SAP may still be working on an unanswered POST, its processing timeout has
     * passed too.
     */
    List<OutboxEntry> due() {
        Instant now = clock.instant();
        List<OutboxEntry> due = new ArrayList<>();
        Map<String, Waiting> stillWaiting = new HashMap<>();
        for (OutboxEntry entry : outbox.oldestPendingPerOrder(settings.relayBatchSize())) {
            String reason = notDueReason(entry, now);
            if (reason == null) {
                due.add(entry);
            } else {
                stillWaiting.put(entry.idempotencyKey(), watch(entry, reason, now));
            }
        }
        // a row that became due, was posted or left the first places is no longer watched
        waiting.keySet().retainAll(stillWaiting.keySet());
        metrics.stalled((int) stillWaiting.values().stream().filter(w -> w.warned() != null).count());
        return due;
    }

    /**
     * A row held back from a poll, as the relay saw it first: when, why, and the reason it last
     * warned about (null before the warning).
     */
    private record Waiting(Instant since, String reason, String warned) {}

    /** The oldest pending row of each order that was not due at the last poll, by key. Only the poll thread uses it. */
    private final Map<String, Waiting> waiting = new HashMap<>();

    /**
     * Notes a row that is the oldest pending of its order and not due; once it has waited longer than
     * {@link #stallWarningAfter()}, logs one WARN that says why (and again if the reason changes), so a
     * relay that posts nothing is never silent: a claim by a relay that died, a back-off, SAP's
     * processing timeout after an unanswered POST.
     */
    private Waiting watch(OutboxEntry entry, String reason, Instant now) {
        Waiting seen = waiting.get(entry.idempotencyKey());
        Waiting current = seen == null ? new Waiting(now, reason, null) : new Waiting(seen.since(), reason, seen.warned());
        Duration waited = Duration.between(current.since(), now);
        if (waited.compareTo(stallWarningAfter()) > 0 && !reason.equals(current.warned())) {
            log.warn("ERP document not posted for {}s: it heads its order's queue and is not due documentType={} order={} key={}"
                    + " attempts={} reason={}", waited.toSeconds(), entry.documentType(), entry.orderId(), entry.idempotencyKey(),
                    entry.attempts(), reason);
            current = new Waiting(current.since(), reason, reason);
        }
        waiting.put(entry.idempotencyKey(), current);
        return current;
    }

    /** How long the head of an order's queue may wait, not due, before the relay warns: {@value #STALL_POLLS} relay intervals. */
    Duration stallWarningAfter() {
        return settings.relayInterval().multipliedBy(STALL_POLLS);
    }

    /** Relay intervals a row heading its order's queue may wait, not due, before a WARN (60 s at the 2 s default). */
    static final int STALL_POLLS = 30;

    boolean isDue(OutboxEntry entry, Instant now) {
        return notDueReason(entry, now) == null;
    }

    /** Why a pending row is not due now, in words with the instant it will be; null if it is due. */
    String notDueReason(OutboxEntry entry, Instant now) {
        if (entry.claimedUntil() != null && !entry.claimedUntil().isBefore(now) && !relayId.equals(entry.claimedBy())) {
            return "claimed by relay " + entry.claimedBy() + " until " + entry.claimedUntil()
                    + " (a relay that stopped while posting holds it until its claim-lease ends; then it is read back first)";
        }
        if (entry.attempts() > 0 && entry.updatedAt().plus(backoff(entry.attempts())).isAfter(now)) {
            return "back-off after " + entry.attempts() + " attempts until " + entry.updatedAt().plus(backoff(entry.attempts()))
                    + " (last error: " + entry.lastError() + ")";
        }
        if (entry.lastAttemptAt() != null && entry.lastAttemptAt().plus(settings.processingTimeout()).isAfter(now)) {
            return "SAP gave no answer to the POST at " + entry.lastAttemptAt() + "; read back after processing-timeout, at "
                    + entry.lastAttemptAt().plus(settings.processingTimeout());
        }
        return null;
    }

    /** Wait after {@code attempts} failed attempts: retry-backoff doubled per attempt, capped. */
    Duration backoff(int attempts) {
        Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(Math.max(attempts, 1) - 1, 20));
        return wait.compareTo(settings.maxRetryBackoff()) > 0 ? settings.maxRetryBackoff() : wait;
    }

    /**
     * Delivers one row: claims it, and if an earlier attempt or a resubmit means SAP may hold it,
     * reads back first and never posts twice; otherwise counts the attempt and posts.
     *
     * @return true if this relay handled it (posted or found in SAP), false if another relay holds it or it is not due
     */
    boolean deliver(OutboxEntry candidate) {
        Instant now = clock.instant();
        Optional<OutboxEntry> claimed = outbox.claim(candidate.idempotencyKey(), relayId, now, now.plus(settings.claimLease()));
        if (claimed.isEmpty()) {
            log.debug("Confirmation held by another relay or no longer pending key={}", candidate.idempotencyKey());
            return false;
        }
        OutboxEntry entry = claimed.get();
        if (!isDue(entry, now)) {
            // another relay attempted it since this poll read it: its wait applies
            outbox.release(entry.idempotencyKey(), relayId);
            return false;
        }
        ErpDocumentType type = types.of(entry);
        if (entry.mayBeInSap()) {
            Optional<ErpDocumentKey> held = throughBreaker(() -> type.find(entry), entry);
            if (held.isPresent()) {
                outbox.markPosted(entry.idempotencyKey(), held.get());
                metrics.outcome(entry.documentType(), "found");
                log.info("ERP document found in SAP, not posted again documentType={} order={} operation={} key={} erpDocument={}",
                        type.name(), entry.orderId(), entry.operation(), entry.idempotencyKey(), held.get());
                return true;
            }
        }
        if (!breaker.tryAcquirePermission()) {
            throw new ErpUnavailableException("SAP calls paused: the circuit breaker is open after repeated failures key="
                    + entry.idempotencyKey(), entry.orderId(), entry.operation(), entry.idempotencyKey(), 0, null, true);
        }
        breaker.releasePermission();
        outbox.markAttempt(entry.idempotencyKey());
        metrics.documentsSent(type.name(), 1);
        ErpDocumentKey posted = metrics.send(type.name()).record(() -> throughBreaker(() -> type.post(entry), entry));
        outbox.markPosted(entry.idempotencyKey(), posted);
        metrics.outcome(entry.documentType(), "posted");
        ProductionConfirmation c = entry.confirmation();
        log.info("ERP document posted documentType={} order={} operation={} yield={} unit={} key={} erpDocument={}", type.name(),
                entry.orderId(), entry.operation(), c == null ? null : c.yieldQuantity().toPlainString(), c == null ? null : c.unit(),
                entry.idempotencyKey(), posted);
        return true;
    }

    /** Documents per OData {@code $batch} request; 1 = one POST per document (the default). */
    ConfirmationRelay withPostBatchSize(int postBatchSize) {
        this.postBatchSize = Math.max(1, postBatchSize);
        return this;
    }

    /**
     * With a post batch size over 1: the due rows that have never been sent (nothing to read back) of
     * every type that can be batched (production confirmations, goods movements, maintenance
     * notifications) are claimed and posted together, per type (one service each), in OData
     * {@code $batch} requests of at most that many, one changeset per document
     * ({@link ErpDocumentType#postBatch}); each is marked posted with the ERP's key from its own
     * changeset. One refused by SAP, or whose batch got no verdict, is left pending as attempted, so
     * the next poll reads it back first and, if SAP does not hold it, posts it alone, which parks it
     * with its dead letter as any refusal. Nothing is parked or dropped here.
     *
     * @return the rows to deliver one at a time ({@link #deliver}): all of them with batching off;
     *         else the rows that may be in SAP already, those that must not be posted (parked there),
     *         a type's only due row, and rows of a type the hub does not know
     */
    List<OutboxEntry> deliverBatch(List<OutboxEntry> due) {
        if (postBatchSize <= 1 || due.size() < 2) {
            return due;
        }
        List<OutboxEntry> single = new ArrayList<>();
        Map<ErpDocumentType, List<OutboxEntry>> batches = new LinkedHashMap<>();
        for (OutboxEntry candidate : due) {
            Instant now = clock.instant();
            ErpDocumentType type;
            try {
                type = types.of(candidate);
            } catch (ErpRejectedException unknownType) {
                single.add(candidate); // parked with the reason by the deliver route
                continue;
            }
            if (!type.batchable() || candidate.mayBeInSap()
                    || (type instanceof ConfirmationDocumentType ? candidate.confirmation() == null : candidate.document() == null)) {
                single.add(candidate);
                continue;
            }
            Optional<OutboxEntry> claimed = outbox.claim(candidate.idempotencyKey(), relayId, now, now.plus(settings.claimLease()));
            if (claimed.isEmpty()) {
                continue; // another relay holds it
            }
            OutboxEntry entry = claimed.get();
            if (!isDue(entry, now) || entry.mayBeInSap()) {
                outbox.release(entry.idempotencyKey(), relayId);
                continue;
            }
            try {
                type.checkPostable(entry);
            } catch (ErpRejectedException refused) {
                outbox.release(entry.idempotencyKey(), relayId);
                single.add(entry); // refused alone, parked with its dead letter by the deliver route
                continue;
            }
            List<OutboxEntry> rows = batches.computeIfAbsent(type, t -> new ArrayList<>());
            rows.add(entry);
            if (rows.size() == postBatchSize) {
                // sent as soon as it is full: this relay claims no more than one batch ahead, so other relays
                // (other hubs on the database) take the rest of the due rows in parallel
                postBatch(type, List.copyOf(rows));
                rows.clear();
            }
        }
        batches.forEach((type, rows) -> {
            if (rows.size() == 1) {
                single.add(rows.get(0)); // a $batch of one is a POST with more bytes; this relay's claim lets deliver post it
            } else if (!rows.isEmpty()) {
                postBatch(type, rows);
            }
        });
        return single;
    }

    /**
     * One {@code $batch} request of claimed rows of one type. One sample of the send timer is this one
     * request; {@code millwright.erp.send.documents} records how many documents it carried.
     */
    private void postBatch(ErpDocumentType type, List<OutboxEntry> batch) {
        if (!breaker.tryAcquirePermission()) {
            ErpUnavailableException paused = new ErpUnavailableException("SAP calls paused: the circuit breaker is open after"
                    + " repeated failures", null, null, batch.get(0).idempotencyKey(), 0, null, true);
            batch.forEach(entry -> wait(entry, paused));
            return;
        }
        breaker.releasePermission();
        batch.forEach(entry -> outbox.markAttempt(entry.idempotencyKey()));
        metrics.documentsSent(type.name(), batch.size());
        List<ErpDocumentType.BatchOutcome> outcomes;
        try {
            outcomes = metrics.send(type.name()).record(() -> breaker.executeSupplier(() -> {
                List<ErpDocumentType.BatchOutcome> answered = type.postBatch(batch);
                // no verdict for any of them: a failure of SAP for the breaker
                if (answered.stream().allMatch(o -> o.failure() instanceof ErpUnavailableException)) {
                    throw (ErpUnavailableException) answered.get(0).failure();
                }
                return answered;
            }));
        } catch (ErpUnavailableException | CallNotPermittedException e) {
            ErpUnavailableException unavailable = e instanceof ErpUnavailableException u ? u : new ErpUnavailableException(
                    "SAP calls paused: the circuit breaker is open", null, null, batch.get(0).idempotencyKey(), 0, e, true);
            batch.forEach(entry -> wait(entry, unavailable));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            OutboxEntry entry = batch.get(i);
            ErpDocumentType.BatchOutcome outcome = outcomes.get(i);
            if (outcome.posted() != null) {
                outbox.markPosted(entry.idempotencyKey(), outcome.posted());
                metrics.outcome(entry.documentType(), "posted");
                ProductionConfirmation c = entry.confirmation();
                log.info("ERP document posted documentType={} order={} operation={} yield={} unit={} key={} erpDocument={} batch=true",
                        entry.documentType(), entry.orderId(), entry.operation(), c == null ? null : c.yieldQuantity().toPlainString(),
                        c == null ? null : c.unit(), entry.idempotencyKey(), outcome.posted());
            } else {
                // attempted: the next poll reads it back first, then posts it alone (a refusal is parked there)
                wait(entry, outcome.failure());
            }
        }
    }

    /**
     * SAP refused: the row is parked with the reason and {@code deadLetter} records it, in one
     * transaction (issue 8, hole 5): if the dead letter cannot be written, the row stays pending and
     * nothing is parked with nothing to show for it.
     *
     * @param deadLetter writes the dead letter (the tracking route, on this thread so it joins the transaction)
     */
    void park(OutboxEntry entry, ErpRejectedException rejection, Runnable deadLetter) {
        transaction.executeWithoutResult(status -> {
            outbox.markParked(entry.idempotencyKey(), rejection.getMessage());
            deadLetter.run();
        });
        metrics.outcome(entry.documentType(), rejection instanceof ErpAuthorizationException ? "authorization" : "parked");
        if (rejection instanceof ErpAuthorizationException) {
            log.error("ALERT SAP refused the hub's authorization; confirmation parked, fix the SAP user and resubmit key={} order={} reason={}",
                    entry.idempotencyKey(), entry.orderId(), rejection.getMessage());
        } else {
            log.warn("ERP document parked documentType={} key={} order={} reason={}", entry.documentType(), entry.idempotencyKey(),
                    entry.orderId(), rejection.getMessage());
        }
    }

    /**
     * The payload a dead letter keeps, which a resubmit requeues: a confirmation's JSON, or for
     * another document type the {@link ErpDocument} (type, key, business keys, entity).
     */
    String payload(OutboxEntry entry) throws JsonProcessingException {
        if (entry.confirmation() != null) {
            return json.writeValueAsString(entry.confirmation());
        }
        return json.writeValueAsString(new ErpDocument(entry.documentType(), entry.idempotencyKey(), entry.orderId(),
                entry.operation(), json.readTree(entry.document())));
    }

    /** SAP gave no verdict: the row stays pending with the reason, unclaimed. */
    void wait(OutboxEntry entry, ErpException failure) {
        boolean answered = !(failure instanceof ErpUnavailableException unavailable) || unavailable.answered();
        outbox.markWaiting(entry.idempotencyKey(), failure.getMessage(), answered);
        metrics.outcome(entry.documentType(), "retried");
        log.debug("Confirmation waits for SAP key={} attempts={} answered={} reason={}", entry.idempotencyKey(), entry.attempts(),
                answered, failure.getMessage());
    }

    /** A resubmitted dead letter (the confirmation's JSON) goes back into the outbox as pending, to be read back first. */
    void requeue(String payload) throws JsonProcessingException {
        if (json.readTree(payload).has("documentType")) {
            ErpDocument document = json.readValue(payload, ErpDocument.class);
            outbox.requeue(document);
            log.info("ERP document requeued documentType={} order={} key={}", document.documentType(), document.orderId(),
                    document.idempotencyKey());
            return;
        }
        ProductionConfirmation confirmation = json.readValue(payload, ProductionConfirmation.class);
        outbox.requeue(confirmation);
        log.info("Confirmation requeued order={} operation={} key={}", confirmation.orderId(), confirmation.operation(),
                confirmation.idempotencyKey());
    }
}
