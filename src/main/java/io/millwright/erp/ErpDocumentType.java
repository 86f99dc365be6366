package io.millwright.erp;

import java.util.List;
import java.util.Optional;

/**
 * One kind of document the hub posts to the ERP through the outbox: how to post a row of this
 * type and how to find it in the ERP again by its idempotency key. The relay's rules (claim, read
 * back before any uncertain retry, park with the reason, one order at a time) are the same for all.
 *
 * <p>Implementations: {@link ConfirmationDocumentType} (API_PROD_ORDER_CONFIRMATION_2_SRV) and the
 * OData entity types of {@link ODataDocumentType} (API_MATERIAL_DOCUMENT_SRV, API_MAINTNOTIFICATION).
 */
public interface ErpDocumentType {

    /** Document type as it appears in the outbox, in tracking and in metrics, e.g. {@code goods-movement}. */
    String name();

    /**
     * Creates the document in the ERP.
     *
     * @throws ErpRejectedException the ERP refused it (a verdict: parked)
     * @throws ErpUnavailableException no verdict (retried, read back first)
     */
    ErpDocumentKey post(OutboxEntry entry);

    /**
     * The document the ERP holds with this row's idempotency key, checked on what was found (the key
     * and business keys must match), following paging to the end.
     *
     * @throws ErpUnavailableException the ERP could not be read
     */
    Optional<ErpDocumentKey> find(OutboxEntry entry);

    /**
     * Refuses a row that must not reach the ERP any more, before it is posted or joins a batch
     * (a confirmation after its operation's final confirmation, say). By default nothing is refused.
     *
     * @throws ErpRejectedException it must not be posted (parked with the reason)
     */
    default void checkPostable(OutboxEntry entry) {
    }

    /** Whether rows of this type may be posted together in one OData {@code $batch} request ({@link #postBatch}). */
    default boolean batchable() {
        return false;
    }

    /**
     * Creates the documents in the ERP in <em>one</em> OData V2 {@code $batch} request, one changeset
     * per document, so the ERP books or refuses each on its own; each result mapped back to its row.
     * A batch that got no usable answer gives each row that {@link ErpUnavailableException}: whether
     * the ERP booked it is read back before it is posted again.
     *
     * @return one outcome per entry, in the order given
     */
    default List<BatchOutcome> postBatch(List<OutboxEntry> entries) {
        throw new UnsupportedOperationException(name() + " documents are not posted in $batch");
    }

    /**
     * What became of one document of a {@code $batch}: the ERP's key, or why not ({@link ErpRejectedException}
     * a verdict, {@link ErpAuthorizationException}, {@link ErpUnavailableException} no verdict).
     */
    record BatchOutcome(ErpDocumentKey posted, ErpException failure) {}
}
