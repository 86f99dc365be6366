package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.time.Instant;

/**
 * One row of {@code confirmation_outbox}: the confirmation and where it stands on its way to SAP.
 *
 * @param confirmation what is posted
 * @param status PENDING (waits for SAP), POSTED (SAP holds it), PARKED (SAP refused it; in the dead-letter store),
 *        DISCARDED (a person decided not to post it)
 * @param attempts POSTs tried so far; above 0, SAP may hold it already, so it is read back first
 * @param lastError why the last attempt failed, in words
 * @param posted SAP's key once posted, else null
 * @param lastAttemptAt when the last POST went out, else null; no read-back before SAP's processing timeout after it
 * @param readBackFirst resubmitted: read back before any POST, whatever the attempt count
 * @param claimedBy the relay that holds the row while it posts, else null
 * @param claimedUntil when that claim expires
 */
public record OutboxEntry(
        ProductionConfirmation confirmation,
        Status status,
        int attempts,
        String lastError,
        PostedConfirmation posted,
        Instant createdAt,
        Instant updatedAt,
        Instant lastAttemptAt,
        boolean readBackFirst,
        String claimedBy,
        Instant claimedUntil) {

    /** Where a confirmation stands. */
    public enum Status {
        PENDING,
        POSTED,
        PARKED,
        /** A person decided it is not to be posted (tracking API, with a reason in the audit log). */
        DISCARDED,
        /** A person resubmitted it with an edited payload: a new row with its own key is posted instead (column replaced_by). */
        REPLACED
    }

    public String idempotencyKey() {
        return confirmation.idempotencyKey();
    }

    /** Whether SAP may hold it already (an earlier POST, or a resubmit): then it is read back before any POST. */
    public boolean mayBeInSap() {
        return attempts > 0 || readBackFirst;
    }
}
