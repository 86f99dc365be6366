package io.millwright.erp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millwright.model.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance notifications in SAP for {@code maintenance-request} events (analytics' anomaly
 * detection, or any route that publishes one): an OPEN request queues one notification in the ERP
 * outbox, keyed by the request id, so a replayed event queues nothing new. CLEARED requests raise
 * nothing (the notification stays for the planner to close in SAP).
 */
class MaintenanceNotifications {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceNotifications.class);
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final ConfirmationOutbox outbox;
    private final ErpDocumentProperties settings;
    private final ObjectMapper json;

    MaintenanceNotifications(ConfirmationOutbox outbox, ErpDocumentProperties settings, ObjectMapper json) {
        this.outbox = outbox;
        this.settings = settings;
        this.json = json;
    }

    /**
     * Queues the notification of one maintenance-request event (its CloudEvents JSON).
     *
     * @return the document queued (or queued before for the same request), null for a request that is not OPEN
     * @throws InvalidEventException no subject (asset) or no request id
     */
    ErpDocument raise(JsonNode event) {
        JsonNode data = event.path("data");
        if (!"OPEN".equals(data.path("status").asText())) {
            return null;
        }
        String requestId = InvalidEventException.required("data.requestId", data.path("requestId").asText(null));
        String asset = InvalidEventException.required("subject", event.path("subject").asText(null));
        String key = key(requestId);
        String object = asset.substring(asset.lastIndexOf('/') + 1).toUpperCase(java.util.Locale.ROOT);
        object = object.length() > 40 ? object.substring(0, 40) : object;
        String reason = data.path("reason").asText("");
        String text = "[" + key + "] " + (reason.isBlank() ? data.path("tag").asText("anomaly") + " anomaly" : reason);
        ObjectNode entity = json.createObjectNode()
                .put("NotificationType", settings.notificationType())
                .put("NotificationText", text.length() > 40 ? text.substring(0, 40) : text)
                .put("MaintNotifLongTextForEdit", "Raised by Millwright for " + asset + ": tag " + data.path("tag").asText("")
                        + " value " + data.path("value").asText("") + " score " + data.path("score").asText("") + " since "
                        + data.path("anomalousSince").asText("") + " (request " + requestId + ", event " + event.path("id").asText("") + ")")
                .put("TechnicalObject", object)
                .put("TechObjIsEquipOrFuncnlLoc", "EAMS_EQUI")
                .put("MaintPriority", settings.notificationPriority());
        if (settings.maintenancePlanningPlant() != null && !settings.maintenancePlanningPlant().isBlank()) {
            entity.put("MaintenancePlanningPlant", settings.maintenancePlanningPlant());
        }
        ErpDocument document = new ErpDocument(MaintenanceNotificationType.NAME, key, null, null, entity);
        if (outbox.enqueue(document)) {
            log.info("Maintenance notification queued key={} asset={} request={}", key, asset, requestId);
        }
        return document;
    }

    /** {@code MWN-} and 16 base32 characters of the request id's SHA-256: 20 characters, room for text in the 40 of NotificationText. */
    static String key(String requestId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            StringBuilder key = new StringBuilder("MWN-");
            for (int i = 0; key.length() < 20; i++) {
                key.append(BASE32[(hash[i] & 0xff) >> 3]);
            }
            return key.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
