package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A document type posted as one OData V2 entity (with its deep-inserted children) to one entity set
 * of one SAP service, read back by a filter and checked on what was found. The entity posted is the
 * one the outbox keeps ({@link OutboxEntry#document()}), so tracking shows exactly what was sent.
 */
abstract class ODataDocumentType implements ErpDocumentType {

    private final ODataDocumentClient client;
    private final String serviceRoot;

    /**
     * @param serviceRoot root URL of the service, with a trailing slash
     */
    ODataDocumentType(ODataDocumentClient client, String serviceRoot) {
        this.client = client;
        this.serviceRoot = serviceRoot.endsWith("/") ? serviceRoot : serviceRoot + "/";
    }

    /** The entity set documents of this type are created in, e.g. {@code A_MaterialDocumentHeader}. */
    abstract String entitySet();

    /** The {@code $filter} that finds the document of this key in the ERP. */
    abstract String readBackFilter(OutboxEntry entry);

    /** Whether an entity the ERP returned is this row's document (the key it carries must match). */
    abstract boolean isThis(JsonNode entity, OutboxEntry entry);

    /** The ERP's key of a created or found entity. */
    abstract ErpDocumentKey key(JsonNode entity);

    @Override
    public ErpDocumentKey post(OutboxEntry entry) {
        JsonNode created = client.create(serviceRoot, entitySet(), ErpDocumentJson.entity(entry.document()), entry);
        if (!isThis(created, entry)) {
            // SAP answered 201 with another document's data: whether it holds ours is verified by read-back
            throw new ErpUnavailableException("SAP answered 201 for " + entitySet() + " key=" + entry.idempotencyKey()
                    + " with an entity that does not carry the key; it is read back before anything else", entry.orderId(),
                    entry.operation(), entry.idempotencyKey(), 201, null, true);
        }
        return key(created);
    }

    @Override
    public Optional<ErpDocumentKey> find(OutboxEntry entry) {
        return client.find(serviceRoot, entitySet(), readBackFilter(entry), entity -> isThis(entity, entry), entry).map(this::key);
    }

    /** An OData V2 string literal: single quotes doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
