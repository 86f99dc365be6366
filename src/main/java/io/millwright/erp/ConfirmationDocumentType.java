package io.millwright.erp;

import java.util.Optional;

/** Production confirmations (API_PROD_ORDER_CONFIRMATION_2_SRV, ProdnOrdConf2) as an {@link ErpDocumentType}. */
class ConfirmationDocumentType implements ErpDocumentType {

    /** Document type name of a production confirmation. */
    static final String NAME = ConfirmationTracking.PRODUCTION_CONFIRMATION;

    private final SapConfirmationClient sap;

    ConfirmationDocumentType(SapConfirmationClient sap) {
        this.sap = sap;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ErpDocumentKey post(OutboxEntry entry) {
        return ErpDocumentKey.of(sap.post(entry.confirmation()));
    }

    @Override
    public Optional<ErpDocumentKey> find(OutboxEntry entry) {
        return sap.find(entry.confirmation()).map(ErpDocumentKey::of);
    }
}
