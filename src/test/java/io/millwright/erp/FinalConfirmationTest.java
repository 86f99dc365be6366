package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.model.InvalidEventException;
import io.millwright.model.Parked;
import io.millwright.model.ProductionConfirmation;
import io.millwright.tracking.DeadLetter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, final confirmation: when an order operation completes, its last confirmation carries SAP's
 * final-confirmation flag (ProdnOrdConf2 FinalConfirmationType "X"), and nothing partial is posted
 * for that operation after it without a park reason. Against the simulated SAP service over HTTP.
 */
class FinalConfirmationTest extends ErpDocumentFixture {

    @BeforeAll
    static void start() throws IOException {
        startSimulator("5000001", "5000002", "5000003", "5000004");
    }

    FinalConfirmations finals() {
        return new FinalConfirmations(db.jdbc(), db.transactions(), window(), outbox, completions);
    }

    List<Map<String, Object>> heldInSap(String order) {
        return simulator.confirmations().stream().filter(c -> order.equals(c.get("OrderID"))).toList();
    }

    Consumer<List<Parked>> intoDeadLetters() {
        return parked -> parked.forEach(p -> deadLetters.park(p.routeId(), p.resubmitEndpoint(), p.reason(), p.exceptionClass(),
                p.correlationId(), "{}", "{}"));
    }

    @Test
    void lastConfirmationCarriesFinalFlag_whenOperationCompleted() {
        count("5000001", "GOOD", 10);
        window().close(intoDeadLetters());
        count("5000001", "GOOD", 5);
        count("5000001", "SCRAP", 1);

        ProductionConfirmation last = finals().complete("5000001", "0010", "order-completed event e-1");
        drain(relay());

        assertThat(last.finalConfirmation()).isTrue();
        assertThat(last.yieldQuantity()).isEqualByComparingTo("5");
        assertThat(last.scrapQuantity()).isEqualByComparingTo("1");
        List<Map<String, Object>> held = heldInSap("5000001");
        assertThat(held).hasSize(2);
        // control: the partial confirmation before it is not flagged
        assertThat(held.get(0).get("FinalConfirmationType")).isIn("", null);
        assertThat(held.get(1)).containsEntry("FinalConfirmationType", "X").containsEntry("ConfirmationText", last.idempotencyKey());
        assertThat(simulator.totalYield("5000001", "0010")).isEqualByComparingTo("15");
    }

    @Test
    void zeroQuantityFinalConfirmation_whenNothingLeftToConfirm_andOnlyOnce() {
        count("5000002", "GOOD", 7);
        window().close(intoDeadLetters());

        ProductionConfirmation first = finals().complete("5000002", "0010", "api user admin");
        ProductionConfirmation again = finals().complete("5000002", "0010", "order-completed event replayed");
        drain(relay());

        assertThat(again.idempotencyKey()).as("a second completion changes nothing").isEqualTo(first.idempotencyKey());
        assertThat(first.yieldQuantity()).isEqualByComparingTo("0");
        List<Map<String, Object>> held = heldInSap("5000002");
        assertThat(held).hasSize(2);
        assertThat(held.get(1)).containsEntry("FinalConfirmationType", "X").containsEntry("ConfirmationUnit", "PC");
        assertThat(simulator.totalYield("5000002", "0010")).isEqualByComparingTo("7");
    }

    @Test
    void countsAfterFinalConfirmation_parkedWithReason_notPosted() {
        count("5000003", "GOOD", 4);
        ProductionConfirmation last = finals().complete("5000003", "0010", "order-completed event e-3");
        drain(relay());
        count("5000003", "GOOD", 2);

        List<ProductionConfirmation> queued = window().close(intoDeadLetters());
        drain(relay());

        assertThat(queued).isEmpty();
        assertThat(heldInSap("5000003")).hasSize(1).first().satisfies(c -> assertThat(c).containsEntry("FinalConfirmationType", "X"));
        DeadLetter parked = deadLetters.list(DeadLetter.Status.PARKED, 10).get(0);
        assertThat(parked.reason()).contains("order 5000003").contains("finally confirmed by " + last.idempotencyKey());
    }

    @Test
    void partialConfirmationResubmittedAfterFinal_parkedByRelay_notPosted() {
        count("5000004", "GOOD", 3);
        ProductionConfirmation partial = window().close(intoDeadLetters()).get(0);
        outbox.markParked(partial.idempotencyKey(), "SAP refused it (test)");
        ProductionConfirmation last = finals().complete("5000004", "0010", "api user admin");
        drain(relay());

        assertThat(outbox.requeue(partial)).isTrue();
        drain(relay());

        OutboxEntry entry = outbox.find(partial.idempotencyKey()).orElseThrow();
        assertThat(entry.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(entry.lastError()).contains("finally confirmed by " + last.idempotencyKey());
        assertThat(heldInSap("5000004")).extracting(c -> c.get("ConfirmationText")).containsExactly(last.idempotencyKey());
    }

    @Test
    void badOrderOrOperation_refusedWithTheField() {
        assertThatThrownBy(() -> finals().complete("5000001", "ten", "api user admin"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("operation");
        assertThatThrownBy(() -> finals().complete("1234567890123", "0010", "api user admin"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("orderId");
    }
}
