package io.millwright.erp;

import java.util.List;
import java.util.Optional;

/** Production confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV, ProdnOrdConf2) as an {@link ErpDocumentType}. */
class ConfirmationDocumentType implements ErpDocumentType {

    /** Document type name of a production confirmation. */
    static final String NAME = ConfirmationTracking.PRODUCTION_CONFIRMATION;

    private final SapConfirmationClient sap;
    private final OperationCompletions completions;

    /**
     * @param completions completed operations, whose final confirmation nothing partial may follow; null = not checked
     */
    ConfirmationDocumentType(SapConfirmationClient sap, OperationCompletions completions) {
        this.sap = sap;
        this.completions = completions;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ErpDocumentKey post(OutboxEntry entry) {
        checkPostable(entry);
        return ErpDocumentKey.of(sap.post(entry.confirmation()));
    }

    /** Refuses a confirmation that must not reach SAP any more (its operation was finally confirmed). */
    @Override
    public void checkPostable(OutboxEntry entry) {
        var c = entry.confirmation();
        if (completions != null && !c.finalConfirmation()) {
            // nothing is posted for an operation after its final confirmation (a resubmitted old confirmation, say)
            completions.finalPosted(c.orderId(), c.operation()).ifPresent(done -> {
                throw new ErpRejectedException("confirmation key=" + c.idempotencyKey() + " of order " + c.orderId() + " operation "
                        + c.operation() + " not posted: the operation was finally confirmed by " + done.finalKey() + " ("
                        + done.origin() + ", " + done.completedAt() + "); reopen the operation in SAP (cancel the final"
                        + " confirmation) and resubmit, or discard it", c.orderId(), c.operation(), c.idempotencyKey(), 0, null);
            });
        }
    }

    @Override
    public boolean batchable() {
        return true;
    }

    /** One {@code $batch} request of ProdnOrdConf2 creates ({@link SapConfirmationClient#postBatch}). */
    @Override
    public List<BatchOutcome> postBatch(List<OutboxEntry> entries) {
        return sap.postBatch(entries.stream().map(OutboxEntry::confirmation).toList(), Math.max(1, entries.size())).stream()
                .map(o -> new BatchOutcome(o.posted() == null ? null : ErpDocumentKey.of(o.posted()), o.failure()))
                .toList();
    }

    @Override
    public Optional<ErpDocumentKey> find(OutboxEntry entry) {
        return sap.find(entry.confirmation()).map(ErpDocumentKey::of);
    }
}
