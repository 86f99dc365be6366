package io.millwright.erp;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * ERP documents besides confirmations ({@code millwright.erp.documents.*}).
 *
 * @param serviceRoots root URL per SAP service name (e.g. {@code API_MATERIAL_DOCUMENT_SRV}); a service
 *        not listed is taken beside {@code millwright.erp.base-url} (same system, its own name as last segment)
 * @param bomFile bill of materials under the mappings directory: components consumed per counted part, per order
 * @param notificationType SAP notification type of maintenance notifications (M1 maintenance request, M2 malfunction report)
 * @param notificationPriority MaintPriority of maintenance notifications (1 very high to 4 low)
 * @param maintenancePlanningPlant MaintenancePlanningPlant of maintenance notifications; blank = SAP's default for the object
 */
@ConfigurationProperties("millwright.erp.documents")
public record ErpDocumentProperties(
        Map<String, String> serviceRoots,
        @DefaultValue("bom.yaml") String bomFile,
        @DefaultValue("M1") String notificationType,
        @DefaultValue("2") String notificationPriority,
        String maintenancePlanningPlant) {

    public ErpDocumentProperties {
        serviceRoots = serviceRoots == null ? Map.of() : Map.copyOf(serviceRoots);
        bomFile = bomFile == null ? "bom.yaml" : bomFile;
        notificationType = notificationType == null ? "M1" : notificationType;
        notificationPriority = notificationPriority == null ? "2" : notificationPriority;
    }

    /** Defaults only. */
    static ErpDocumentProperties defaults() {
        return new ErpDocumentProperties(null, null, null, null, null);
    }

    /** Root URL of an SAP service, with a trailing slash. */
    String serviceRoot(String service, ErpProperties erp) {
        String root = serviceRoots.get(service);
        if (root == null) {
            String base = erp.baseUrl().endsWith("/") ? erp.baseUrl().substring(0, erp.baseUrl().length() - 1) : erp.baseUrl();
            root = base.substring(0, base.lastIndexOf('/') + 1) + service;
        }
        return root.endsWith("/") ? root : root + "/";
    }
}
