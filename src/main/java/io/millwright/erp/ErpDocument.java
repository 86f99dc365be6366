package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.InvalidEventException;

/**
 * A document other than a production confirmation on its way to the ERP, as the outbox keeps it:
 * its type, its idempotency key (which also travels in the document, so a read-back finds it), the
 * business keys, and the entity exactly as it is posted (OData V2 JSON, SAP's property names).
 *
 * @param documentType an {@link ErpDocumentType#name()}, e.g. {@code goods-movement}
 * @param idempotencyKey deterministic key, unique for ever (at most 40 characters)
 * @param orderId the production order it belongs to, or null (a maintenance notification); documents of one
 *        order reach the ERP in the order they were queued
 * @param operation the order operation, or null
 * @param entity the entity posted, e.g. an A_MaterialDocumentHeader with its items
 */
public record ErpDocument(String documentType, String idempotencyKey, String orderId, String operation, JsonNode entity) {

    public ErpDocument {
        InvalidEventException.required("documentType", documentType);
        InvalidEventException.required("idempotencyKey", idempotencyKey);
        InvalidEventException.required("entity", entity);
        if (idempotencyKey.length() > 40) {
            throw InvalidEventException.field("idempotencyKey", idempotencyKey, "must be at most 40 characters");
        }
    }
}
