package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Goods movements (API_MATERIAL_DOCUMENT_SRV, REFERENCE §1.4): an {@code A_MaterialDocumentHeader}
 * with its {@code to_MaterialDocumentItem} items in one deep insert. The idempotency key travels in
 * {@code MaterialDocumentHeaderText} (25 characters) and is read back by it; SAP's key is
 * MaterialDocumentYear + MaterialDocument.
 */
class GoodsMovementType extends ODataDocumentType {

    /** Document type name. */
    static final String NAME = "goods-movement";
    /** The service's name, the last segment of its root URL. */
    static final String SERVICE = "API_MATERIAL_DOCUMENT_SRV";
    /** SAP's MaterialDocumentHeaderText (BKTXT) holds 25 characters. */
    static final int KEY_LENGTH = 25;

    GoodsMovementType(ODataDocumentClient client, String serviceRoot) {
        super(client, serviceRoot);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String entitySet() {
        return "A_MaterialDocumentHeader";
    }

    @Override
    String readBackFilter(OutboxEntry entry) {
        return "MaterialDocumentHeaderText eq " + literal(entry.idempotencyKey());
    }

    @Override
    boolean isThis(JsonNode entity, OutboxEntry entry) {
        return entry.idempotencyKey().equals(entity.path("MaterialDocumentHeaderText").asText(null));
    }

    @Override
    ErpDocumentKey key(JsonNode entity) {
        return ErpDocumentKey.of("MaterialDocumentYear", entity.path("MaterialDocumentYear").asText(), "MaterialDocument",
                entity.path("MaterialDocument").asText());
    }
}
