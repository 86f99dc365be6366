package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ERP document types the relay posts (every {@link ErpDocumentType} bean): production
 * confirmations, goods movements from the bill of materials, maintenance notifications.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ErpDocumentProperties.class)
class ErpDocumentConfiguration {

    @Bean
    ConfirmationDocumentType confirmationDocumentType(SapConfirmationClient sap, OperationCompletions completions) {
        return new ConfirmationDocumentType(sap, completions);
    }

    /** The confirmations' client: one logon, one token cache and one CSRF session per service for every document type. */
    @Bean
    ODataDocumentClient odataDocumentClient(SapConfirmationClient sap) {
        return sap.odata();
    }

    @Bean
    GoodsMovementType goodsMovementType(ODataDocumentClient client, ErpDocumentProperties documents, ErpProperties settings) {
        return new GoodsMovementType(client, documents.serviceRoot(GoodsMovementType.SERVICE, settings));
    }

    @Bean
    GoodsIssues goodsIssues(ErpDocumentProperties documents, ConfirmationOutbox outbox, ObjectMapper json,
            @Value("${millwright.mappings-dir:mappings}") String mappingsDir) {
        return new GoodsIssues(BillOfMaterials.load(Path.of(mappingsDir).resolve(documents.bomFile())), outbox, json);
    }

    @Bean
    MaintenanceNotificationType maintenanceNotificationType(ODataDocumentClient client, ErpDocumentProperties documents,
            ErpProperties settings) {
        return new MaintenanceNotificationType(client, documents.serviceRoot(MaintenanceNotificationType.SERVICE, settings));
    }

    @Bean
    MaintenanceNotifications maintenanceNotifications(ConfirmationOutbox outbox, ErpDocumentProperties documents, ObjectMapper json) {
        return new MaintenanceNotifications(outbox, documents, json);
    }

    @Bean
    ErpDocumentTypes erpDocumentTypes(List<ErpDocumentType> types) {
        return new ErpDocumentTypes(types);
    }
}
