package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.ProductionConfirmation;
import io.millwright.testsupport.SettableClock;
import io.millwright.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Issue 7, the central hub's relay that stopped posting with rows PENDING and no log line: the relay posts
 * the oldest pending row of each order, and when that row is not due, nothing of its order moves, silently.
 * Here the head of an order is claimed by a relay that died while posting it (a hub killed with SIGKILL): for
 * its claim-lease (2 min) the order waits. The relay now says so once, with the reason, after 30 relay
 * intervals, and meters show it. On H2, with the relay's clock moved by the test.
 */
class RelayStallWarningTest {

    static final String TYPE = ConfirmationTracking.PRODUCTION_CONFIRMATION;

    final ObjectMapper json = JsonMapper.builder().findAndAddModules().build();
    /** Starts at the real time: the outbox stamps its rows with the system clock. */
    final SettableClock clock = new SettableClock(Instant.now());
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger relayLog = (Logger) LoggerFactory.getLogger(ConfirmationRelay.class);
    TestDatabase db;
    ConfirmationOutbox outbox;
    ErpProperties settings;
    ErpMetrics metrics;

    @BeforeEach
    void open() {
        db = TestDatabase.h2();
        outbox = new ConfirmationOutbox(db.jdbc());
        // the shipped timings: relay every 2 s, 10 s HTTP timeout, 60 s processing timeout, 2 min claim-lease
        settings = new ErpProperties("http://127.0.0.1:9/sap/opu/odata/sap/API_PROD_ORDER_CONFIRMATION_2_SRV", "millwright",
                "not-used", "", Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMinutes(5), 50, Duration.ofSeconds(60), Duration.ofMinutes(2), null, null);
        metrics = new ErpMetrics(meters, null, List.of(TYPE), clock);
        logged.start();
        relayLog.addAppender(logged);
    }

    @AfterEach
    void close() {
        relayLog.detachAppender(logged);
        db.close();
    }

    @Test
    void anOrderHeldByTheClaimOfADeadRelay_isLoggedOnceWithTheReason_andTheRelayTakesItAfterTheLease() {
        ProductionConfirmation head = confirmation("1000011");
        ProductionConfirmation behind = confirmation("1000011");
        ProductionConfirmation otherOrder = confirmation("1000012");
        outbox.enqueue(head);
        outbox.enqueue(behind);
        outbox.enqueue(otherOrder);
        // the central hub before its kill: claimed the head, counted the attempt, posted, and died before marking it
        Instant killedAt = clock.instant();
        assertThat(outbox.claim(head.idempotencyKey(), "killed-relay", killedAt, killedAt.plus(settings.claimLease()))).isPresent();
        outbox.markAttempt(head.idempotencyKey());

        ConfirmationRelay relay = new ConfirmationRelay(outbox, new SapConfirmationClient(settings, json), settings, json,
                db.transactions(), clock, "restarted-relay", metrics);
        assertThat(keys(relay.due())).as("the other order goes on; this one waits for the dead relay's claim")
                .containsExactly(otherOrder.idempotencyKey());
        clock.advance(Duration.ofSeconds(58));
        assertThat(keys(relay.due())).containsExactly(otherOrder.idempotencyKey());
        assertThat(warnings()).as("58 s: within 30 relay intervals").isEmpty();
        assertThat(meters.get("millwright.erp.relay.stalled").gauge().value()).isZero();

        clock.advance(Duration.ofSeconds(4));
        assertThat(keys(relay.due())).containsExactly(otherOrder.idempotencyKey());
        assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning)
                .contains("key=" + head.idempotencyKey(), "order=1000011", "attempts=1", "claimed by relay killed-relay until"));
        assertThat(meters.get("millwright.erp.relay.stalled").gauge().value()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        relay.due();
        assertThat(warnings()).as("once per row and reason, not per poll").hasSize(1);

        clock.set(killedAt.plus(settings.claimLease()).plusSeconds(1));
        assertThat(keys(relay.due())).as("after the lease: read back first, as any attempted row")
                .containsExactly(head.idempotencyKey(), otherOrder.idempotencyKey());
        assertThat(meters.get("millwright.erp.relay.stalled").gauge().value()).isZero();
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void theLastPostAge_countsFromTheLastDocumentSapTook() {
        assertThat(meters.get("millwright.erp.relay.last.post.age").gauge().value()).as("nothing posted yet").isNaN();
        metrics.outcome(TYPE, "posted");
        clock.advance(Duration.ofSeconds(5));
        metrics.outcome(TYPE, "retried");
        metrics.outcome(TYPE, "parked");
        assertThat(meters.get("millwright.erp.relay.last.post.age").gauge().value()).as("a retry or refusal is no post")
                .isEqualTo(5.0);
        metrics.outcome(TYPE, "found");
        assertThat(meters.get("millwright.erp.relay.last.post.age").gauge().value()).as("found by read-back: SAP holds it")
                .isZero();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static List<String> keys(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::idempotencyKey).toList();
    }

    private static ProductionConfirmation confirmation(String order) {
        return new ProductionConfirmation(order, "0010", BigDecimal.valueOf(3), BigDecimal.ZERO, "PC", false,
                LocalDate.of(2026, 12, 1), "MW-" + order + "-0010-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
