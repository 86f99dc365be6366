package io.millwright.erp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key the ERP gave a posted document, by SAP's property names: ConfirmationGroup and
 * ConfirmationCount of a confirmation, MaterialDocumentYear and MaterialDocument of a goods
 * movement, MaintenanceNotification of a notification. Shown as {@code erpDocument} in tracking.
 *
 * @param fields SAP property name to value, in SAP's key order
 */
public record ErpDocumentKey(Map<String, String> fields) {

    public ErpDocumentKey {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A key of name/value pairs. */
    public static ErpDocumentKey of(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new ErpDocumentKey(fields);
    }

    /** The key of a posted production confirmation. */
    public static ErpDocumentKey of(PostedConfirmation posted) {
        return of("ConfirmationGroup", posted.confirmationGroup(), "ConfirmationCount", posted.confirmationCount());
    }

    public String get(String field) {
        return fields.get(field);
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
