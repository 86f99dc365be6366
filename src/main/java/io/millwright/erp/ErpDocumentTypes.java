package io.millwright.erp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The document types the relay knows, by name. */
public class ErpDocumentTypes {

    private final Map<String, ErpDocumentType> types = new LinkedHashMap<>();

    public ErpDocumentTypes(List<ErpDocumentType> types) {
        for (ErpDocumentType type : types) {
            if (this.types.putIfAbsent(type.name(), type) != null) {
                throw new IllegalStateException("two ERP document types are named " + type.name());
            }
        }
    }

    /** Production confirmations only. */
    static ErpDocumentTypes confirmations(SapConfirmationClient sap) {
        return new ErpDocumentTypes(List.of(new ConfirmationDocumentType(sap, null)));
    }

    /**
     * @throws ErpRejectedException no such type here (a row written by a newer hub, say): the row is parked with the reason
     */
    ErpDocumentType of(OutboxEntry entry) {
        ErpDocumentType type = types.get(entry.documentType());
        if (type == null) {
            throw new ErpRejectedException("outbox row key=" + entry.idempotencyKey() + " has document type '" + entry.documentType()
                    + "', which this hub does not post (it knows " + types.keySet() + ")", entry.orderId(), entry.operation(),
                    entry.idempotencyKey(), 0, null);
        }
        return type;
    }

    public Set<String> names() {
        return types.keySet();
    }
}
