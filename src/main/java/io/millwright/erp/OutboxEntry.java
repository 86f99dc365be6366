package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.time.Instant;

/**
 * One row of {@code confirmation_outbox} (the ERP outbox): a document and where it stands on its way to SAP.
 *
 * @param documentType the {@link ErpDocumentType} name, e.g. {@code production-confirmation}, {@code goods-movement}
 * @param idempotencyKey the document's deterministic key, which travels in it so a read-back finds it
 * @param orderId the order it belongs to, or null (a maintenance notification)
 * @param operation the order operation, or null
 * @param confirmation what is posted, for a production confirmation; else null
 * @param document the entity posted (OData V2 JSON), for other document types; else null
 * @param status PENDING (waits for SAP), POSTED (SAP holds it), PARKED (SAP refused it; in the dead-letter store),
 *        DISCARDED (a person decided not to post it)
 * @param attempts POSTs tried so far; above 0, SAP may hold it already, so it is read back first
 * @param lastError why the last attempt failed, in words
 * @param posted SAP's key once a confirmation is posted, else null
 * @param erpDocument SAP's key of the posted document (any type), else null
 * @param lastAttemptAt when the last POST went out, else null; no read-back before SAP's processing timeout after it
 * @param readBackFirst resubmitted: read back before any POST, whatever the attempt count
 * @param claimedBy the relay that holds the row while it posts, else null
 * @param claimedUntil when that claim expires
 */
public record OutboxEntry(
        String documentType,
        String idempotencyKey,
        String orderId,
        String operation,
        ProductionConfirmation confirmation,
        String document,
        Status status,
        int attempts,
        String lastError,
        PostedConfirmation posted,
        ErpDocumentKey erpDocument,
        Instant createdAt,
        Instant updatedAt,
        Instant lastAttemptAt,
        boolean readBackFirst,
        String claimedBy,
        Instant claimedUntil) {

    /** Where a document stands. */
    public enum Status {
        PENDING,
        POSTED,
        PARKED,
        /** A person decided it is not to be posted (tracking API, with a reason in the audit log). */
        DISCARDED,
        /** A person resubmitted it with an edited payload: a new row with its own key is posted instead (column replaced_by). */
        REPLACED
    }

    /** Whether SAP may hold it already (an earlier POST, or a resubmit): then it is read back before any POST. */
    public boolean mayBeInSap() {
        return attempts > 0 || readBackFirst;
    }
}
