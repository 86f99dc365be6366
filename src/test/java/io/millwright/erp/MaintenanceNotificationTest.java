package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.model.InvalidEventException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, maintenance notifications: an OPEN maintenance-request event raises one notification in
 * SAP (API_MAINTNOTIFICATION) through the ERP outbox, with the configured type and priority; a
 * replayed event or a lost answer never raises a second one. Against the simulated SAP services.
 */
class MaintenanceNotificationTest extends ErpDocumentFixture {

    @BeforeAll
    static void start() throws IOException {
        startSimulator("7000001");
    }

    MaintenanceNotifications notifications(String type) {
        return new MaintenanceNotifications(outbox, new ErpDocumentProperties(null, null, type, "1", "1010"), json);
    }

    JsonNode event(String requestId, String status, String asset) throws IOException {
        return json.readTree("""
                {"specversion":"1.0","id":"e-%s","type":"io.millwright.maintenance-request.v1","source":"millwright://analytics",
                 "subject":"%s","time":"2026-11-30T17:00:00Z",
                 "data":{"requestId":"%s","status":"%s","tag":"vibration","value":9.5,"score":6.2,
                         "anomalousSince":"2026-11-30T16:59:58Z","reason":"vibration above baseline"}}
                """.formatted(requestId, asset, requestId, status));
    }

    List<Map<String, Object>> heldFor(String key) {
        return simulator.maintenanceNotifications().stream()
                .filter(n -> ((String) n.get("NotificationText")).startsWith("[" + key + "]")).toList();
    }

    @Test
    void notificationRaisedOnce_forOpenMaintenanceRequest_evenWhenReplayed() throws IOException {
        JsonNode open = event("req-1", "OPEN", "acme/springfield/assembly/line-1/press-07");

        ErpDocument queued = notifications("M2").raise(open);
        notifications("M2").raise(open);
        drain(relay());

        List<Map<String, Object>> held = heldFor(queued.idempotencyKey());
        assertThat(held).hasSize(1);
        assertThat(held.get(0)).containsEntry("NotificationType", "M2").containsEntry("TechnicalObject", "PRESS-07")
                .containsEntry("MaintPriority", "1").containsEntry("MaintenancePlanningPlant", "1010");
        assertThat((String) held.get(0).get("NotificationText")).hasSizeLessThanOrEqualTo(40).contains("vibration above");
        assertThat((String) held.get(0).get("MaintNotifLongTextForEdit")).contains("req-1").contains("line-1/press-07");
        OutboxEntry row = outbox.find(queued.idempotencyKey()).orElseThrow();
        assertThat(row.documentType()).isEqualTo("maintenance-notification");
        assertThat(row.erpDocument().get("MaintenanceNotification")).isEqualTo(held.get(0).get("MaintenanceNotification"));
        var page = new ConfirmationTracking(db.jdbc(), db.transactions(), outbox)
                .list(new ConfirmationTracking.Query(null, null, null, "confirmed", null, null), 0, 100);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).anySatisfy(item -> assertThat(item)
                .containsEntry("key", queued.idempotencyKey()).containsEntry("documentType", "maintenance-notification")
                .containsEntry("erpDocument", Map.of("maintenanceNotification", held.get(0).get("MaintenanceNotification"))));
    }

    @Test
    void notificationRaisedOnce_whenSapTimesOutAfterCommit() throws IOException {
        ErpDocument queued = notifications("M1").raise(event("req-2", "OPEN", "acme/springfield/assembly/line-1/oven-2"));
        simulator.commitButDropResponseForNextPosts(1);
        ConfirmationRelay relay = relay();

        drain(relay);
        drainAfter(Duration.ofMinutes(2), relay);

        OutboxEntry row = outbox.find(queued.idempotencyKey()).orElseThrow();
        assertThat(row.status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row.attempts()).as("found by read-back, not posted again").isEqualTo(1);
        assertThat(heldFor(queued.idempotencyKey())).hasSize(1);
    }

    @Test
    void unknownNotificationType_parkedWithSapReason() throws IOException {
        ErpDocument queued = notifications("Z9").raise(event("req-3", "OPEN", "acme/springfield/assembly/line-1/robot-1"));
        drain(relay());

        OutboxEntry row = outbox.find(queued.idempotencyKey()).orElseThrow();
        assertThat(row.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(row.lastError()).contains("IW/010").contains("Z9").contains("field NotificationType");
        assertThat(heldFor(queued.idempotencyKey())).isEmpty();
    }

    /**
     * {@code $batch} ({@code post-batch-size} 2): three notifications in two requests to
     * API_MAINTNOTIFICATION, one changeset each; SAP refuses one (unknown type, its error JSON) and
     * books the others, each marked with its own notification number. The refused one is read back,
     * posted alone and parked with SAP's reason.
     */
    @Test
    void notificationsPostedInBatches_eachUnderItsOwnNumber_andTheRefusedOneParkedAlone() throws IOException {
        ErpDocument first = notifications("M1").raise(event("req-b1", "OPEN", "acme/springfield/assembly/line-2/press-11"));
        ErpDocument refused = notifications("Z8").raise(event("req-b2", "OPEN", "acme/springfield/assembly/line-2/press-12"));
        ErpDocument third = notifications("M2").raise(event("req-b3", "OPEN", "acme/springfield/assembly/line-2/press-13"));
        ConfirmationRelay relay = relay().withPostBatchSize(2);
        int postsBefore = simulator.postsReceived();

        pollBatched(relay);

        assertThat(simulator.postsReceived() - postsBefore).as("three notifications in $batch requests of two").isEqualTo(2);
        for (ErpDocument booked : List.of(first, third)) {
            List<Map<String, Object>> held = heldFor(booked.idempotencyKey());
            assertThat(held).as(booked.idempotencyKey()).hasSize(1);
            OutboxEntry row = outbox.find(booked.idempotencyKey()).orElseThrow();
            assertThat(row.status()).isEqualTo(OutboxEntry.Status.POSTED);
            assertThat(row.erpDocument().get("MaintenanceNotification")).isEqualTo(held.get(0).get("MaintenanceNotification"));
        }
        assertThat(outbox.find(refused.idempotencyKey()).orElseThrow().status()).isEqualTo(OutboxEntry.Status.PENDING);

        clock.advance(Duration.ofSeconds(31));
        pollBatched(relay);

        OutboxEntry parked = outbox.find(refused.idempotencyKey()).orElseThrow();
        assertThat(parked.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(parked.lastError()).contains("IW/010").contains("Z8");
        assertThat(heldFor(refused.idempotencyKey())).isEmpty();
        assertThat(simulator.postsReceived() - postsBefore).as("read back, then posted alone").isEqualTo(3);
    }

    /**
     * SAP processes a whole {@code $batch} of notifications and the answer is lost (504 after
     * commit): nothing is read back before SAP's processing timeout, then each is found by read-back
     * and none is raised twice; the only POST is the batch.
     */
    @Test
    void batchedNotificationsRaisedOnce_whenSapCommitsTheBatchAndTheAnswerIsLost() throws IOException {
        List<ErpDocument> queued = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            queued.add(notifications("M1").raise(event("req-l" + i, "OPEN", "acme/springfield/assembly/line-3/pump-" + i)));
        }
        ConfirmationRelay relay = relay().withPostBatchSize(8);
        simulator.commitButDropResponseForNextPosts(1);
        int postsBefore = simulator.postsReceived();

        pollBatched(relay);
        drain(relay);
        assertThat(queued).allSatisfy(d -> assertThat(outbox.find(d.idempotencyKey()).orElseThrow().status())
                .as("SAP may still be working on it").isEqualTo(OutboxEntry.Status.PENDING));
        drainAfter(Duration.ofMinutes(2), relay);

        assertThat(queued).allSatisfy(d -> {
            OutboxEntry row = outbox.find(d.idempotencyKey()).orElseThrow();
            assertThat(row.status()).isEqualTo(OutboxEntry.Status.POSTED);
            assertThat(row.attempts()).as("found by read-back, not posted again").isEqualTo(1);
            assertThat(heldFor(d.idempotencyKey())).hasSize(1);
            assertThat(row.erpDocument().get("MaintenanceNotification"))
                    .isEqualTo(heldFor(d.idempotencyKey()).get(0).get("MaintenanceNotification"));
        });
        assertThat(simulator.postsReceived() - postsBefore).as("only the batch").isEqualTo(1);
    }

    @Test
    void nothingRaised_forClearedRequest_andEventWithoutAssetRefused() throws IOException {
        assertThat(notifications("M1").raise(event("req-4", "CLEARED", "acme/springfield/assembly/line-1/robot-1"))).isNull();
        assertThatThrownBy(() -> notifications("M1").raise(event("req-5", "OPEN", "")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("subject");
    }
}
