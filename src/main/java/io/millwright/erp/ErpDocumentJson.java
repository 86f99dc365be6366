package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;

/** The outbox's JSON columns: {@code erp_document} (an {@link ErpDocumentKey}, a flat object) and {@code document} (the entity). */
final class ErpDocumentJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErpDocumentJson() {}

    static String toJson(ErpDocumentKey key) {
        try {
            return key == null ? null : JSON.writeValueAsString(key.fields());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write ERP document key " + key, e);
        }
    }

    /** The entity of an outbox row's {@code document} column. */
    static com.fasterxml.jackson.databind.JsonNode entity(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox column document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ErpDocumentKey key(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return new ErpDocumentKey(JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbox column erp_document is not a JSON object: " + json, e);
        }
    }
}
