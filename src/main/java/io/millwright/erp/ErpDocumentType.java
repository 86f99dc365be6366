package io.millwright.erp;

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
}
