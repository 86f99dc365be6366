package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.time.Instant;

/**
 * One row of {@code confirmation_outbox}: the confirmation and where it stands on its way to SAP.
 *
 * @param confirmation what is posted
 * @param status PENDING (waits for SAP), POSTED (SAP holds it), PARKED (SAP refused it; in the dead-letter store)
 * @param attempts POSTs tried so far; above 0, SAP may hold it already, so it is read back first
 * @param lastError why the last attempt failed, in words
 * @param posted SAP's key once posted, else null
 */
public record OutboxEntry(
        ProductionConfirmation confirmation,
        Status status,
        int attempts,
        String lastError,
        PostedConfirmation posted,
        Instant createdAt,
        Instant updatedAt) {

    /** Where a confirmation stands. */
    public enum Status {
        PENDING,
        POSTED,
        PARKED
    }

    public String idempotencyKey() {
        return confirmation.idempotencyKey();
    }
}
