package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    public boolean batchable() {
        return true;
    }

    /**
     * One {@code $batch} request to this service, one changeset per document ({@link ODataDocumentClient#createBatch});
     * a changeset's 201 counts only if the entity it returns carries the row's key, else it is read back.
     */
    @Override
    public List<BatchOutcome> postBatch(List<OutboxEntry> entries) {
        List<ODataDocumentClient.Subject> subjects = entries.stream().map(e -> ODataDocumentClient.Subject.of(entitySet(), e)).toList();
        List<byte[]> bodies = entries.stream()
                .map(e -> ErpDocumentJson.entity(e.document()).toString().getBytes(StandardCharsets.UTF_8)).toList();
        List<ODataDocumentClient.BatchResult> results;
        try {
            results = client.createBatch(serviceRoot, entitySet(), bodies, subjects);
        } catch (ErpException whole) {
            return entries.stream().map(e -> new BatchOutcome(null, whole)).toList();
        }
        List<BatchOutcome> outcomes = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            OutboxEntry entry = entries.get(i);
            ODataDocumentClient.BatchResult result = results.get(i);
            if (result.failure() != null) {
                outcomes.add(new BatchOutcome(null, result.failure()));
            } else if (isThis(result.created(), entry)) {
                outcomes.add(new BatchOutcome(key(result.created()), null));
            } else {
                outcomes.add(new BatchOutcome(null, new ErpUnavailableException("SAP answered 201 in its $batch for " + entitySet()
                        + " key=" + entry.idempotencyKey() + " with an entity that does not carry the key; it is read back",
                        entry.orderId(), entry.operation(), entry.idempotencyKey(), 201, null, true)));
            }
        }
        return outcomes;
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
