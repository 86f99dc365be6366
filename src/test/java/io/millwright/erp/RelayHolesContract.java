package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import io.millwright.testsupport.TestDatabase;
import io.millwright.tracking.DeadLetter;
import io.millwright.tracking.DeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, holes 3 to 6 and 8, on a real store ({@link RelayHolesH2Test}, {@link RelayHolesPostgresIT})
 * against the simulated SAP service over HTTP. The relay steps are called directly, as the relay
 * route calls them, with a clock the test moves forward.
 */
abstract class RelayHolesContract {

    static final List<String> ORDERS = IntStream.rangeClosed(1, 12).mapToObj(i -> String.valueOf(2_000_000 + i)).toList();
    static final String FORBIDDEN_ORDER = "2000099";
    /** Used by the reconciliation test only, so SAP holds nothing else for it. */
    static final String RECONCILED_ORDER = "2000098";

    static ErpSimulator simulator;

    TestDatabase db;
    ConfirmationOutbox outbox;
    DeadLetterStore deadLetters;
    ErpProperties settings;
    SapConfirmationClient sap;
    final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    final MovableClock clock = new MovableClock();

    abstract TestDatabase openDatabase();

    @BeforeAll
    static void startSimulator() throws IOException {
        List<ErpSimulatorProperties.ReleasedOrder> released = new ArrayList<>();
        for (String order : ORDERS) {
            released.add(new ErpSimulatorProperties.ReleasedOrder(order, List.of("0010"), "PC", "1010", "WC1"));
        }
        released.add(new ErpSimulatorProperties.ReleasedOrder(FORBIDDEN_ORDER, List.of("0010"), "PC", "1010", "WC1"));
        released.add(new ErpSimulatorProperties.ReleasedOrder(RECONCILED_ORDER, List.of("0010"), "PC", "1010", "WC1"));
        simulator = new ErpSimulator(new ErpSimulatorProperties(true, 0, "127.0.0.1", "millwright", "test-secret",
                Duration.ofMinutes(30), List.of()), released, Files.createTempDirectory("millwright-relay-holes")).start();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void open() {
        db = openDatabase();
        outbox = new ConfirmationOutbox(db.jdbc());
        deadLetters = new DeadLetterStore(db.jdbc());
        settings = new ErpProperties(simulator.serviceUrl(), "millwright", "test-secret", "", Duration.ofSeconds(10),
                Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(400), 50,
                Duration.ofSeconds(30), Duration.ofSeconds(60), null, null);
        sap = new SapConfirmationClient(settings, json);
        simulator.ignoreFilterOnReads(false);
        simulator.pageReadsBy(0);
        simulator.failNextPosts(0, 503);
        simulator.commitButDropResponseForNextPosts(0);
        simulator.commitLateForNextPosts(0, Duration.ZERO);
    }

    @AfterEach
    void close() {
        db.close();
    }

    ConfirmationRelay relay(String id) {
        return new ConfirmationRelay(outbox, sap, settings, json, db.transactions(), clock, id);
    }

    /** One poll as the relay route does it; a refusal parks and dead-letters, no verdict waits. */
    int poll(ConfirmationRelay relay) {
        return deliverEach(relay, relay.due());
    }

    /** One poll as the relay route does it with {@code post-batch-size} over 1: $batch first, the rest one by one. */
    int pollBatched(ConfirmationRelay relay) {
        return deliverEach(relay, relay.deliverBatch(relay.due()));
    }

    int deliverEach(ConfirmationRelay relay, List<OutboxEntry> entries) {
        int handled = 0;
        for (OutboxEntry entry : entries) {
            try {
                if (relay.deliver(entry)) {
                    handled++;
                }
            } catch (ErpRejectedException rejection) {
                relay.park(entry, rejection, () -> deadLetters.park("erp-confirmation-deliver", "direct://erp-confirmation-deliver",
                        rejection.getMessage(), rejection.getClass().getName(), entry.idempotencyKey(), payload(entry), "{}"));
            } catch (ErpUnavailableException unavailable) {
                relay.wait(entry, unavailable);
            }
        }
        return handled;
    }

    String payload(OutboxEntry entry) {
        try {
            return json.writeValueAsString(entry.confirmation());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProductionConfirmation confirmation(String order, long yield) {
        String key = "MW-" + order + "-" + UUID.randomUUID().toString().substring(0, 12);
        return new ProductionConfirmation(order, "0010", BigDecimal.valueOf(yield), BigDecimal.ZERO, "PC", false,
                LocalDate.of(2026, 11, 30), key);
    }

    static long heldInSap(String key) {
        return simulator.confirmations().stream().filter(c -> key.equals(c.get("ConfirmationText"))).count();
    }

    OutboxEntry row(ProductionConfirmation c) {
        return outbox.find(c.idempotencyKey()).orElseThrow();
    }

    /**
     * Hole 3: two relays (two hub instances on one database, here two threads) relay the same
     * outbox while SAP fails some POSTs and drops some answers after commit; every row reaches SAP
     * exactly once. Failed before: both relays read the same pending rows and each posted them
     * (no claim), so most rows were held twice.
     */
    @Test
    void hole3_twoRelaysOnOneDatabase_neverPostTheSameRow() throws Exception {
        List<ProductionConfirmation> all = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            ProductionConfirmation c = confirmation(ORDERS.get(i % ORDERS.size()), i + 1);
            outbox.enqueue(c);
            all.add(c);
        }
        simulator.failNextPosts(3, 503);
        simulator.commitButDropResponseForNextPosts(2);
        ConfirmationRelay a = relay("relay-a");
        ConfirmationRelay b = relay("relay-b");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (ConfirmationRelay relay : List.of(a, b)) {
                runs.add(threads.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < deadline
                            && all.stream().anyMatch(c -> row(c).status() != OutboxEntry.Status.POSTED)) {
                        poll(relay);
                        // the dropped answers wait SAP's processing timeout: the test moves the clock past it
                        clock.advance(Duration.ofSeconds(31));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(90, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        for (ProductionConfirmation c : all) {
            assertThat(row(c).status()).as("status of %s", c.idempotencyKey()).isEqualTo(OutboxEntry.Status.POSTED);
            assertThat(heldInSap(c.idempotencyKey())).as("SAP holds %s", c.idempotencyKey()).isEqualTo(1);
        }
    }

    /**
     * Hole 3: a relay that claimed a row, posted it and died before marking it posted holds a
     * claim that expires; the other relay waits for the claim and SAP's processing timeout, then
     * reads back and finds it. Failed before: there was no claim, and the other relay posted at
     * once after its back-off, before SAP could have finished.
     */
    @Test
    void hole3_expiredClaim_isReadBackNotPostedAgain() {
        ProductionConfirmation c = confirmation(ORDERS.get(0), 5);
        outbox.enqueue(c);
        Instant now = clock.instant();
        assertThat(outbox.claim(c.idempotencyKey(), "dead-relay", now, now.plus(settings.claimLease()))).isPresent();
        outbox.markAttempt(c.idempotencyKey());
        sap.post(c);
        // ... and the relay is killed here

        ConfirmationRelay survivor = relay("survivor");
        assertThat(survivor.due()).as("claimed by a live lease").isEmpty();
        clock.advance(settings.claimLease().plusSeconds(1));
        assertThat(poll(survivor)).isEqualTo(1);
        assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row(c).attempts()).as("no second POST").isEqualTo(1);
        assertThat(heldInSap(c.idempotencyKey())).isEqualTo(1);
    }

    /**
     * Hole 4: a POST that timed out while SAP was still working is not read back before SAP's
     * processing timeout. SAP commits it 2 s after the hub gave up (3 s HTTP timeout, 5 s in SAP). Failed
     * before: the retry after the back-off read back too early, found nothing, and posted again:
     * SAP held the confirmation twice.
     */
    @Test
    void hole4_unansweredPost_isReadBackOnlyAfterProcessingTimeout() {
        ProductionConfirmation c = confirmation(ORDERS.get(1), 7);
        outbox.enqueue(c);
        simulator.commitLateForNextPosts(1, Duration.ofSeconds(5));
        ConfirmationRelay relay = relay("relay");

        assertThat(poll(relay)).isZero();
        assertThat(row(c).lastError()).contains("timed out");
        clock.advance(Duration.ofSeconds(5));
        assertThat(relay.due()).as("back-off passed, processing timeout not").isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> heldInSap(c.idempotencyKey()) == 1);
        clock.advance(settings.processingTimeout());
        assertThat(poll(relay)).isEqualTo(1);
        assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row(c).attempts()).isEqualTo(1);
        assertThat(heldInSap(c.idempotencyKey())).isEqualTo(1);
    }

    /**
     * Hole 4: a resubmitted confirmation is always read back first. Here SAP holds it already
     * (someone booked it while it was parked). Failed before: the requeue set attempts to 0, so
     * the relay posted without a read-back and SAP held it twice.
     */
    @Test
    void hole4_resubmitted_isAlwaysReadBackFirst() {
        ProductionConfirmation c = confirmation(ORDERS.get(2), 3);
        sap.post(c);
        outbox.enqueue(c);
        outbox.markParked(c.idempotencyKey(), "parked for the test");

        assertThat(outbox.requeue(c)).isTrue();
        assertThat(row(c).readBackFirst()).isTrue();
        assertThat(poll(relay("relay"))).isEqualTo(1);
        assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row(c).attempts()).as("no POST").isZero();
        assertThat(heldInSap(c.idempotencyKey())).isEqualTo(1);
    }

    /**
     * Hole 5: parking a row and writing its dead letter are one transaction. Failed before: the
     * row was marked PARKED in its own statement and the dead letter written afterwards, so a
     * failure in between left a parked row with nothing in the dead-letter store.
     */
    @Test
    void hole5_parkingRollsBack_whenDeadLetterCannotBeWritten() {
        ProductionConfirmation c = confirmation(ORDERS.get(3), 1);
        outbox.enqueue(c);
        ConfirmationRelay relay = relay("relay");
        OutboxEntry entry = row(c);
        var rejection = new ErpRejectedException("SAP rejected it", c.orderId(), c.operation(), c.idempotencyKey(), 400, "RU/105");

        assertThatThrownBy(() -> relay.park(entry, rejection, () -> {
            deadLetters.park("erp-confirmation-deliver", null, "SAP rejected it", null, c.idempotencyKey(), payload(entry), "{}");
            throw new IllegalStateException("dead-letter store full");
        })).hasMessageContaining("dead-letter store full");

        assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(deadLetters.list(null, 10)).isEmpty();

        relay.park(entry, rejection, () -> deadLetters.park("erp-confirmation-deliver", null, "SAP rejected it", null,
                c.idempotencyKey(), payload(entry), "{}"));
        assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).singleElement()
                .extracting(DeadLetter::correlationId).isEqualTo(c.idempotencyKey());
    }

    /**
     * Hole 6: one order with a backlog that waits (its oldest row in back-off) never hides the
     * other orders. Failed before: the relay read the 50 oldest rows overall, all of that order,
     * and skipped them all: the other order's row was never even fetched.
     */
    @Test
    void hole6_oneWaitingOrderWithBacklog_neverBlocksOthers() {
        String busy = ORDERS.get(4);
        List<ProductionConfirmation> backlog = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ProductionConfirmation c = confirmation(busy, 1);
            outbox.enqueue(c);
            backlog.add(c);
        }
        ProductionConfirmation other = confirmation(ORDERS.get(5), 2);
        outbox.enqueue(other);
        outbox.markAttempt(backlog.get(0).idempotencyKey());
        outbox.markWaiting(backlog.get(0).idempotencyKey(), "SAP said 503", true);

        ConfirmationRelay relay = relay("relay");
        // (the busy order's back-off is 100 ms: the relay's clock is held back so it is still waiting)
        clock.advance(Duration.ofMillis(-1_000));
        List<OutboxEntry> due = relay.due();
        assertThat(due).extracting(OutboxEntry::idempotencyKey).containsExactly(other.idempotencyKey());
        assertThat(relay.deliver(due.get(0))).isTrue();
        assertThat(row(other).status()).isEqualTo(OutboxEntry.Status.POSTED);
    }

    /**
     * Hole 6: an order SAP answers with 403 is parked with the reason (an authorization
     * problem, alerted) while the other orders flow. Failed before: 403 counted as "SAP
     * unavailable": the row was retried for ever, never parked, and nobody was told.
     */
    @Test
    void hole6_forbiddenOrderParkedWithReason_whileOthersFlow() {
        simulator.forbidOrder(FORBIDDEN_ORDER);
        ProductionConfirmation forbidden = confirmation(FORBIDDEN_ORDER, 4);
        ProductionConfirmation fine = confirmation(ORDERS.get(6), 4);
        outbox.enqueue(forbidden);
        outbox.enqueue(fine);

        poll(relay("relay"));

        assertThat(row(fine).status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row(forbidden).status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(row(forbidden).lastError()).contains("HTTP 403").contains("No authorization for order " + FORBIDDEN_ORDER);
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).singleElement().satisfies(d -> {
            assertThat(d.exceptionClass()).isEqualTo(ErpAuthorizationException.class.getName());
            assertThat(d.correlationId()).isEqualTo(forbidden.idempotencyKey());
        });
        assertThat(heldInSap(forbidden.idempotencyKey())).isZero();
    }

    /**
     * Hole 8: a read-back takes only an entity whose ConfirmationText, order and operation match,
     * and follows server paging. SAP here ignores the $filter (not every system filters on
     * ConfirmationText) and pages by 2. Failed before: the read-back took the first result of
     * the first page as the confirmation, so an unposted one was marked POSTED (and lost), and
     * one beyond the first page was not found (and posted twice).
     */
    @Test
    void hole8_readBackChecksTextOrderAndOperation_andFollowsPaging() {
        List<ProductionConfirmation> posted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ProductionConfirmation c = confirmation(ORDERS.get(7), i + 1);
            sap.post(c);
            posted.add(c);
        }
        simulator.ignoreFilterOnReads(true);
        simulator.pageReadsBy(2);

        ProductionConfirmation never = confirmation(ORDERS.get(7), 9);
        assertThat(sap.find(never)).isEmpty();
        ProductionConfirmation last = posted.get(4);
        assertThat(sap.find(last)).isPresent();
        // same key text, other operation: not the same confirmation
        ProductionConfirmation otherOperation = new ProductionConfirmation(last.orderId(), "0020", last.yieldQuantity(),
                last.scrapQuantity(), last.unit(), false, last.postingDate(), last.idempotencyKey());
        assertThat(sap.find(otherOperation)).isEmpty();

        // through the relay: a resubmitted row that SAP does not hold is posted, not taken for someone else's
        outbox.enqueue(never);
        outbox.markParked(never.idempotencyKey(), "for the test");
        outbox.requeue(never);
        poll(relay("relay"));
        assertThat(heldInSap(never.idempotencyKey())).isEqualTo(1);
        assertThat(row(never).status()).isEqualTo(OutboxEntry.Status.POSTED);
    }

    /**
     * Hole 6: while SAP fails every call, the circuit breaker opens and the relay stops calling it;
     * the rows wait with the reason (the fallback drops nothing) and all reach SAP exactly once when
     * it recovers. Failed before: there was no breaker; every poll sent a POST per due order.
     */
    @Test
    void hole6_circuitBreakerOpens_rowsWaitAndAllArriveOnce() {
        List<ProductionConfirmation> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ProductionConfirmation c = confirmation(ORDERS.get(i), 2);
            outbox.enqueue(c);
            rows.add(c);
        }
        simulator.failNextPosts(1_000, 503);
        // the breaker stays open for the longest back-off (here 3 s): long enough to look at it under load
        settings = new ErpProperties(settings.baseUrl(), settings.username(), settings.password(), "", settings.confirmationWindow(),
                settings.requestTimeout(), settings.relayInterval(), settings.retryBackoff(), Duration.ofSeconds(3), 50,
                settings.processingTimeout(), settings.claimLease(), null, null);
        ConfirmationRelay relay = relay("relay");
        int before = simulator.postsReceived();
        poll(relay);
        assertThat(relay.breaker().getState()).isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);
        int sent = simulator.postsReceived() - before;
        assertThat(sent).as("calls stop once the breaker is open").isLessThan(8);
        assertThat(rows).allSatisfy(c -> assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.PENDING));
        assertThat(rows.stream().filter(c -> row(c).lastError() != null && row(c).lastError().contains("circuit breaker is open")))
                .hasSize(8 - sent);

        simulator.failNextPosts(0, 503);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            poll(relay);
            return rows.stream().allMatch(c -> row(c).status() == OutboxEntry.Status.POSTED);
        });
        assertThat(rows).allSatisfy(c -> assertThat(heldInSap(c.idempotencyKey())).isEqualTo(1));
    }

    /**
     * {@code $batch} in the relay ({@code millwright.erp.post-batch-size} 4): six due confirmations
     * go to SAP in two requests, one changeset each; each booked one is marked posted with SAP's key
     * of its own changeset (the one a read-back finds), once in SAP. The one SAP refuses (an order SAP
     * does not know) is not parked from the batch: it waits as attempted, is read back on the next
     * poll and posted alone, and parked there with its dead letter, as any refusal.
     */
    @Test
    void batch_eachPostedOnceUnderItsOwnKey_andTheRefusedOneParkedAlone() {
        ConfirmationRelay relay = relay("batch").withPostBatchSize(4);
        List<ProductionConfirmation> booked = ORDERS.subList(6, 11).stream().map(order -> confirmation(order, 3)).toList();
        ProductionConfirmation unknown = confirmation("2000097", 2); // not released in SAP
        booked.forEach(outbox::enqueue);
        outbox.enqueue(unknown);
        int postsBefore = simulator.postsReceived();

        pollBatched(relay);

        assertThat(simulator.postsReceived() - postsBefore).as("6 confirmations in $batch requests of 4").isEqualTo(2);
        for (ProductionConfirmation c : booked) {
            OutboxEntry row = row(c);
            assertThat(row.status()).as(c.idempotencyKey()).isEqualTo(OutboxEntry.Status.POSTED);
            assertThat(heldInSap(c.idempotencyKey())).as(c.idempotencyKey()).isEqualTo(1);
            assertThat(sap.find(c)).as("the key SAP answered for this one").contains(row.posted());
        }
        assertThat(row(unknown).status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(row(unknown).attempts()).isEqualTo(1);
        assertThat(deadLetters.list(null, 10)).isEmpty();

        clock.advance(Duration.ofSeconds(31)); // past the back-off (and the processing timeout, were it unanswered)
        pollBatched(relay);

        assertThat(row(unknown).status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(row(unknown).lastError()).contains("2000097");
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).singleElement()
                .extracting(DeadLetter::correlationId).isEqualTo(unknown.idempotencyKey());
        assertThat(heldInSap(unknown.idempotencyKey())).isZero();
        booked.forEach(c -> assertThat(heldInSap(c.idempotencyKey())).as("still once").isEqualTo(1));
    }

    /**
     * Issue 8, {@code $batch} and the uncertain window: SAP commits a whole {@code $batch} of eight
     * confirmations and the answer is lost (504 after commit). No row is read back before SAP's
     * processing timeout; then every one is found by read-back under the key SAP holds it with, none
     * is posted twice (the batch was the only POST), and SAP's total per order is exactly what was
     * confirmed. Failed before the simulator dropped a {@code $batch}'s answer: the case was never run.
     */
    @Test
    void batch_everyConfirmationFoundByReadBack_whenSapCommitsTheBatchAndTheAnswerIsLost() {
        ConfirmationRelay relay = relay("batch-lost").withPostBatchSize(8);
        List<String> orders = ORDERS.subList(0, 4);
        Map<String, BigDecimal> before = new java.util.HashMap<>();
        orders.forEach(order -> before.put(order, simulator.totalYield(order, "0010")));
        List<ProductionConfirmation> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ProductionConfirmation c = confirmation(orders.get(i % 4), 10 + i);
            outbox.enqueue(c);
            batch.add(c);
        }
        simulator.commitButDropResponseForNextPosts(1);
        int postsBefore = simulator.postsReceived();

        pollBatched(relay); // the oldest of each of the four orders, in one $batch whose answer is lost
        clock.advance(Duration.ofSeconds(5));
        pollBatched(relay); // nothing is due: SAP may still be working on them
        List<ProductionConfirmation> first = batch.subList(0, 4);
        assertThat(first).allSatisfy(c -> {
            assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.PENDING);
            assertThat(row(c).attempts()).isEqualTo(1);
            assertThat(heldInSap(c.idempotencyKey())).as("SAP committed it").isEqualTo(1);
        });
        assertThat(simulator.postsReceived() - postsBefore).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            clock.advance(Duration.ofSeconds(31));
            pollBatched(relay);
            return batch.stream().allMatch(c -> row(c).status() == OutboxEntry.Status.POSTED);
        });

        assertThat(first).allSatisfy(c -> {
            assertThat(row(c).attempts()).as("found by read-back, not posted again").isEqualTo(1);
            assertThat(sap.find(c)).as("the key SAP holds it with").contains(row(c).posted());
        });
        assertThat(batch).allSatisfy(c -> assertThat(heldInSap(c.idempotencyKey())).as(c.idempotencyKey()).isEqualTo(1));
        assertThat(simulator.postsReceived() - postsBefore).as("the lost batch and one batch for the second four").isEqualTo(2);
        for (String order : orders) {
            BigDecimal confirmed = batch.stream().filter(c -> c.orderId().equals(order)).map(ProductionConfirmation::yieldQuantity)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(simulator.totalYield(order, "0010").subtract(before.get(order))).as(order).isEqualByComparingTo(confirmed);
        }
    }

    /**
     * A {@code $batch} where SAP refuses one changeset for authorization (403 with its error JSON,
     * one order the user may not post for) while it commits the others: the others are posted under
     * their own keys; the refused one is parked alone with its dead letter after its read-back.
     */
    @Test
    void batch_othersCommit_whenOneChangesetIsForbidden() {
        ConfirmationRelay relay = relay("batch-403").withPostBatchSize(4);
        List<ProductionConfirmation> booked = ORDERS.subList(4, 7).stream().map(order -> confirmation(order, 2)).toList();
        ProductionConfirmation forbidden = confirmation(FORBIDDEN_ORDER, 5);
        booked.forEach(outbox::enqueue);
        outbox.enqueue(forbidden);
        simulator.forbidOrder(FORBIDDEN_ORDER);
        try {
            int postsBefore = simulator.postsReceived();

            pollBatched(relay);

            assertThat(simulator.postsReceived() - postsBefore).as("one $batch").isEqualTo(1);
            booked.forEach(c -> {
                assertThat(row(c).status()).isEqualTo(OutboxEntry.Status.POSTED);
                assertThat(heldInSap(c.idempotencyKey())).isEqualTo(1);
            });
            assertThat(row(forbidden).status()).isEqualTo(OutboxEntry.Status.PENDING);

            clock.advance(Duration.ofSeconds(31));
            pollBatched(relay);

            assertThat(row(forbidden).status()).isEqualTo(OutboxEntry.Status.PARKED);
            assertThat(row(forbidden).lastError()).contains("No authorization for order " + FORBIDDEN_ORDER);
            assertThat(deadLetters.list(DeadLetter.Status.PARKED, 10)).singleElement()
                    .extracting(DeadLetter::correlationId).isEqualTo(forbidden.idempotencyKey());
            assertThat(heldInSap(forbidden.idempotencyKey())).isZero();
        } finally {
            simulator.permitOrder(FORBIDDEN_ORDER);
        }
    }

    /**
     * Reconciliation: plant (ledger), hub (posted rows) and ERP (read back) of one order operation,
     * and the variance plant − ERP. One window's confirmation reaches SAP; the next window's is still
     * pending, so the variance shows what SAP does not hold yet.
     */
    @Test
    void reconciliation_showsPlantHubErpAndVariance() throws Exception {
        String order = RECONCILED_ORDER;
        ConfirmationWindow window = new ConfirmationWindow(db.jdbc(), db.transactions(), outbox);
        ledger(order, "GOOD", 40);
        ledger(order, "SCRAP", 2);
        List<ProductionConfirmation> first = window.close();
        assertThat(first).hasSize(1);
        ConfirmationRelay relay = relay("relay");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll(relay);
            clock.advance(Duration.ofSeconds(31));
            return row(first.get(0)).status() == OutboxEntry.Status.POSTED;
        });
        ledger(order, "GOOD", 5);
        window.close();

        var api = org.springframework.test.web.servlet.setup.MockMvcBuilders
                .standaloneSetup(new ReconciliationController(new Reconciliation(db.jdbc(), sap))).build();
        var expected = json.readTree("""
                {"order": "%s", "operation": "0010", "plant": {"good": "45", "scrap": "2"}, "hub": {"good": "40", "scrap": "2"},
                 "erp": {"good": "40", "scrap": "2"}, "variance": {"good": "5", "scrap": "0"}}
                """.formatted(order));
        String body = api.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/reconciliation")
                        .param("order", order).param("operation", "0010"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(body)).isEqualTo(expected);
        // a missing operation is answered with the hub's problem body: ApiProblemTest, on the whole web layer
    }

    void ledger(String order, String counter, long delta) {
        db.jdbc().update("""
                INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at)
                VALUES ('acme/springfield/assembly/line-1/machine-1', :order, '0010', :counter, :delta, 'PC', :at)
                """, new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("order", order).addValue("counter", counter)
                .addValue("delta", delta).addValue("at", java.sql.Timestamp.from(Instant.now())));
    }

    /** Metrics: outcomes by class, send latency, outbox depth per status and the oldest pending row's age. */
    @Test
    void metrics_outcomesLatencyAndOutboxDepth() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ErpMetrics metrics = new ErpMetrics(registry, db.jdbc());
        simulator.forbidOrder(FORBIDDEN_ORDER);
        outbox.enqueue(confirmation(ORDERS.get(8), 1));
        outbox.enqueue(confirmation(FORBIDDEN_ORDER, 1));
        ProductionConfirmation waiting = confirmation(ORDERS.get(9), 1);
        outbox.enqueue(waiting);
        outbox.markAttempt(waiting.idempotencyKey());
        outbox.markWaiting(waiting.idempotencyKey(), "SAP said 503", true);
        clock.advance(Duration.ofSeconds(-10));

        poll(new ConfirmationRelay(outbox, sap, settings, json, db.transactions(), clock, "relay", metrics));

        assertThat(metrics.count("posted")).isEqualTo(1);
        assertThat(metrics.count("authorization")).isEqualTo(1);
        assertThat(registry.get("millwright.erp.send").timer().count()).isEqualTo(2);
        assertThat(registry.get("millwright.erp.outbox.depth").tag("status", "pending").gauge().value()).isEqualTo(1);
        assertThat(registry.get("millwright.erp.outbox.depth").tag("status", "parked").gauge().value()).isEqualTo(1);
        assertThat(registry.get("millwright.erp.outbox.oldest.pending.age").gauge().value()).isGreaterThanOrEqualTo(0);
    }

    /** The system clock plus an offset the test moves forward. */
    static final class MovableClock extends Clock {

        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            offset.updateAndGet(d -> d.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }
}
