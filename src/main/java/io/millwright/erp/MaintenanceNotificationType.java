package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Maintenance notifications (API_MAINTNOTIFICATION, entity set {@code MaintenanceNotification},
 * REFERENCE §1.5). The idempotency key opens the NotificationText ({@code [MWN-…] text}, 40
 * characters); read back by technical object and type, and checked on that key. SAP's key is
 * MaintenanceNotification.
 */
class MaintenanceNotificationType extends ODataDocumentType {

    static final String NAME = "maintenance-notification";
    static final String SERVICE = "API_MAINTNOTIFICATION";

    MaintenanceNotificationType(ODataDocumentClient client, String serviceRoot) {
        super(client, serviceRoot);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String entitySet() {
        return "MaintenanceNotification";
    }

    @Override
    String readBackFilter(OutboxEntry entry) {
        JsonNode sent = ErpDocumentJson.entity(entry.document());
        return "TechnicalObject eq " + literal(sent.path("TechnicalObject").asText()) + " and NotificationType eq "
                + literal(sent.path("NotificationType").asText());
    }

    @Override
    boolean isThis(JsonNode entity, OutboxEntry entry) {
        return entity.path("NotificationText").asText("").startsWith("[" + entry.idempotencyKey() + "]");
    }

    @Override
    ErpDocumentKey key(JsonNode entity) {
        return ErpDocumentKey.of("MaintenanceNotification", entity.path("MaintenanceNotification").asText());
    }
}
