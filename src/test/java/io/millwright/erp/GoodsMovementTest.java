package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millwright.model.Parked;
import io.millwright.model.ProductionConfirmation;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.tracking.DeadLetter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, goods movements: the material a confirmation's parts consumed (bill of materials in
 * {@code bom.yaml}) is issued to the order in SAP (API_MATERIAL_DOCUMENT_SRV, code 03, movement type
 * 261) with exact quantities, through the same outbox, and never twice: not on a retry after a lost
 * answer, not on a resubmit. Against the simulated SAP services over HTTP.
 */
class GoodsMovementTest extends ErpDocumentFixture {

    @BeforeAll
    static void start() throws IOException {
        startSimulator("6000001", "6000002", "6000003", "6000004", "6000005", "6000006", "6000007", "6000008");
    }

    @Override
    ConfirmationWindow window() {
        ConfirmationWindow window = super.window();
        window.setGoodsIssues(new GoodsIssues(BillOfMaterials.load(Path.of("src/test/resources/erp/bom.yaml")), outbox, json));
        return window;
    }

    Consumer<List<Parked>> noParking() {
        return parked -> {
            throw new AssertionError("nothing should be parked: " + parked);
        };
    }

    List<Map<String, Object>> documentsWithKey(String key) {
        return simulator.materialDocuments().stream().filter(d -> key.equals(d.get("MaterialDocumentHeaderText"))).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> document) {
        return (List<Map<String, Object>>) document.get("items");
    }

    @Test
    void goodsIssuePostedWithExactQuantities_forConfirmedGoodAndScrap() {
        count("6000001", "GOOD", 10);
        count("6000001", "SCRAP", 3);

        ProductionConfirmation confirmation = window().close(noParking()).get(0);
        drain(relay());

        String key = GoodsIssues.key(confirmation.idempotencyKey());
        List<Map<String, Object>> held = documentsWithKey(key);
        assertThat(held).hasSize(1);
        assertThat(held.get(0)).containsEntry("GoodsMovementCode", "03");
        List<Map<String, Object>> items = items(held.get(0));
        assertThat(items).hasSize(2);
        // 13 parts x 0.25 KG and 13 x 0.013 L, to SAP's three decimals
        assertThat(items.get(0)).containsEntry("Material", "RM-STEEL-01").containsEntry("GoodsMovementType", "261")
                .containsEntry("ManufacturingOrder", "6000001").containsEntry("EntryUnit", "KG").containsEntry("StorageLocation", "0001");
        assertThat((BigDecimal) items.get(0).get("QuantityInEntryUnit")).isEqualByComparingTo("3.250");
        assertThat(items.get(1)).containsEntry("Material", "RM-PAINT-07").containsEntry("EntryUnit", "L");
        assertThat((BigDecimal) items.get(1).get("QuantityInEntryUnit")).isEqualByComparingTo("0.169");

        OutboxEntry row = outbox.find(key).orElseThrow();
        assertThat(row.documentType()).isEqualTo("goods-movement");
        assertThat(row.status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(row.erpDocument().fields()).containsEntry("MaterialDocument", (String) held.get(0).get("MaterialDocument"))
                .containsEntry("MaterialDocumentYear", (String) held.get(0).get("MaterialDocumentYear"));
        // tracking shows it with its type and SAP's keys
        Map<String, Object> tracked = new ConfirmationTracking(db.jdbc(), db.transactions(), outbox).get(key).orElseThrow();
        assertThat(tracked).containsEntry("documentType", "goods-movement").containsEntry("status", "confirmed")
                .containsEntry("orderId", "6000001");
        assertThat(tracked.get("erpDocument")).isEqualTo(Map.of("materialDocumentYear", held.get(0).get("MaterialDocumentYear"),
                "materialDocument", held.get(0).get("MaterialDocument")));
        // lineage: the goods issue leads back to its confirmation and the ledger increments the parts were counted in
        assertThat(tracked).containsEntry("sourceKey", confirmation.idempotencyKey());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lineage = (List<Map<String, Object>>) tracked.get("lineage");
        assertThat(lineage).extracting(i -> i.get("counter"), i -> i.get("delta"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("GOOD", 10L), org.assertj.core.groups.Tuple.tuple("SCRAP", 3L));
        // control: the confirmation itself went to its own service
        assertThat(simulator.totalYield("6000001", "0010")).isEqualByComparingTo("10");
    }

    // SAP booked the material document but the answer was lost: a blind retry would issue the material twice
    @Test
    void goodsIssuePostedOnce_whenSapTimesOutAfterCommit() {
        count("6000002", "GOOD", 4);
        ProductionConfirmation confirmation = window().close(noParking()).get(0);
        String key = GoodsIssues.key(confirmation.idempotencyKey());
        ConfirmationRelay relay = relay();
        pollOnce(relay);
        assertThat(outbox.find(confirmation.idempotencyKey()).orElseThrow().status()).isEqualTo(OutboxEntry.Status.POSTED);

        simulator.commitButDropResponseForNextPosts(1);
        pollOnce(relay);
        drain(relay);
        OutboxEntry waiting = outbox.find(key).orElseThrow();
        assertThat(waiting.status()).as("no verdict yet: SAP may still be working on it").isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(waiting.attempts()).isEqualTo(1);

        drainAfter(Duration.ofMinutes(2), relay);

        OutboxEntry posted = outbox.find(key).orElseThrow();
        assertThat(posted.status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(posted.attempts()).as("read back, not posted again").isEqualTo(1);
        assertThat(documentsWithKey(key)).hasSize(1);
        assertThat((BigDecimal) items(documentsWithKey(key).get(0)).get(0).get("QuantityInEntryUnit")).isEqualByComparingTo("6.000");
    }

    // the issue's case: a resubmitted document that SAP holds already (booked by hand meanwhile) is read back, not posted
    @Test
    void refusedGoodsIssue_parkedWithSapReason_andResubmitReadsBackFirst() throws Exception {
        count("6000003", "GOOD", 5);
        ProductionConfirmation confirmation = window().close(noParking()).get(0);
        String key = GoodsIssues.key(confirmation.idempotencyKey());
        ConfirmationRelay relay = relay();
        drain(relay);

        OutboxEntry parked = outbox.find(key).orElseThrow();
        assertThat(parked.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(parked.lastError()).contains("M7/053").contains("plant 1010").contains("field Plant");
        DeadLetter deadLetter = deadLetters.list(DeadLetter.Status.PARKED, 10).stream()
                .filter(d -> key.equals(d.correlationId())).findFirst().orElseThrow();
        assertThat(documentsWithKey(key)).isEmpty();

        // a person books the issue in SAP by hand with the right plant, keeping the header text, then resubmits
        ObjectNode fixed = (ObjectNode) json.readTree(parked.document());
        ((ObjectNode) fixed.path("to_MaterialDocumentItem").path("results").get(0)).put("Plant", "1010");
        sap.odata().create(simulator.serviceUrl(ErpSimulator.MATERIAL_DOCUMENT_PATH),
                "A_MaterialDocumentHeader", fixed, parked);
        relay.requeue(deadLetter.payload());
        drainAfter(Duration.ofMinutes(1), relay);

        OutboxEntry found = outbox.find(key).orElseThrow();
        assertThat(found.status()).isEqualTo(OutboxEntry.Status.POSTED);
        assertThat(found.attempts()).as("found by read-back; no second POST").isEqualTo(1);
        assertThat(documentsWithKey(key)).hasSize(1);
        assertThat(found.erpDocument().get("MaterialDocument")).isEqualTo(documentsWithKey(key).get(0).get("MaterialDocument"));
    }

    @Test
    void noGoodsIssue_whenOrderHasNoBillOfMaterials() {
        count("5999999", "GOOD", 1);
        var queued = window().close(noParking());
        assertThat(outbox.find(GoodsIssues.key(queued.get(0).idempotencyKey()))).isEmpty();
    }

    // an operator sees which document type is stuck: outbox depth, age, send latency and outcomes per type
    @Test
    void metricsPerDocumentType_depthSendLatencyAndOutcomes() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ErpMetrics metrics = new ErpMetrics(registry, db.jdbc(), types().names());
        ConfirmationRelay relay = new ConfirmationRelay(outbox, sap, settings, json, db.transactions(), clock, "relay-test", metrics)
                .withTypes(types());
        count("6000004", "GOOD", 2);
        window().close(noParking());
        drain(relay);
        count("6000004", "GOOD", 1);
        window().close(noParking());

        String confirmation = ConfirmationTracking.PRODUCTION_CONFIRMATION;
        String goods = GoodsMovementType.NAME;
        assertThat(metrics.count(confirmation, "posted")).isEqualTo(1);
        assertThat(metrics.count(goods, "parked")).as("wrong plant: SAP's verdict").isEqualTo(1);
        assertThat(metrics.count(goods, "posted")).isZero();
        assertThat(registry.get("millwright.erp.send").tag("documentType", confirmation).timer().count()).isEqualTo(1);
        assertThat(registry.get("millwright.erp.send").tag("documentType", goods).timer().count()).isEqualTo(1);
        assertThat(depth(registry, goods, "parked")).isEqualTo(1);
        assertThat(depth(registry, confirmation, "parked")).isZero();
        assertThat(depth(registry, confirmation, "pending")).as("the second window, not yet relayed").isEqualTo(1);
        assertThat(depth(registry, goods, "pending")).isEqualTo(1);
        assertThat(depth(registry, MaintenanceNotificationType.NAME, "pending")).isZero();
        assertThat(registry.get("millwright.erp.outbox.oldest.pending.age").tag("documentType", goods).gauge().value())
                .isGreaterThanOrEqualTo(0);
        assertThat(registry.get("millwright.erp.outbox.oldest.pending.age").tag("documentType", MaintenanceNotificationType.NAME)
                .gauge().value()).isZero();
    }

    /**
     * {@code $batch} ({@code millwright.erp.post-batch-size} 4): the confirmations of four orders go in
     * one request, then their four goods issues in one request to API_MATERIAL_DOCUMENT_SRV, one
     * changeset each. SAP refuses one issue (wrong plant, SAP's error JSON) and books the three
     * others: each is marked with its own material document, once in SAP. The refused one is not
     * parked from the batch: it is read back on the next poll, posted alone and parked there with
     * SAP's reason. The send timer counts requests, {@code millwright.erp.send.documents} the documents in them.
     */
    @Test
    void goodsIssuesPostedInOneBatch_eachUnderItsOwnDocument_andTheRefusedOneParkedAlone() {
        List<String> orders = List.of("6000005", "6000006", "6000007", "6000008");
        orders.forEach(order -> count(order, "GOOD", 4));
        Map<String, String> issueKeys = new java.util.HashMap<>();
        window().close(noParking()).forEach(c -> issueKeys.put(c.orderId(), GoodsIssues.key(c.idempotencyKey())));
        assertThat(issueKeys).containsOnlyKeys(orders);
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ErpMetrics metrics = new ErpMetrics(registry, db.jdbc(), types().names());
        ConfirmationRelay relay = new ConfirmationRelay(outbox, sap, settings, json, db.transactions(), clock, "relay-test", metrics)
                .withTypes(types()).withPostBatchSize(4);
        int postsBefore = simulator.postsReceived();

        pollBatched(relay); // the four confirmations (each order's oldest row)
        pollBatched(relay); // then the four goods issues

        assertThat(simulator.postsReceived() - postsBefore).as("two $batch requests of four").isEqualTo(2);
        for (String order : List.of("6000005", "6000006", "6000007")) {
            String key = issueKeys.get(order);
            assertThat(documentsWithKey(key)).as(order).hasSize(1);
            OutboxEntry row = outbox.find(key).orElseThrow();
            assertThat(row.status()).as(order).isEqualTo(OutboxEntry.Status.POSTED);
            assertThat(row.erpDocument().get("MaterialDocument")).as("the document SAP booked for this one")
                    .isEqualTo(documentsWithKey(key).get(0).get("MaterialDocument"));
        }
        // 4 parts x 3 KG: the quantities of the batch's changesets reached the right documents
        assertThat((BigDecimal) items(documentsWithKey(issueKeys.get("6000007")).get(0)).get(0).get("QuantityInEntryUnit"))
                .isEqualByComparingTo("12.000");
        String refused = issueKeys.get("6000008");
        assertThat(outbox.find(refused).orElseThrow().status()).as("not parked from the batch").isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(outbox.find(refused).orElseThrow().attempts()).isEqualTo(1);
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 100)).noneMatch(d -> refused.equals(d.correlationId()));

        clock.advance(Duration.ofSeconds(31));
        pollBatched(relay);

        OutboxEntry parked = outbox.find(refused).orElseThrow();
        assertThat(parked.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(parked.lastError()).contains("M7/053").contains("field Plant");
        assertThat(deadLetters.list(DeadLetter.Status.PARKED, 100)).anyMatch(d -> refused.equals(d.correlationId()));
        assertThat(documentsWithKey(refused)).isEmpty();
        assertThat(simulator.postsReceived() - postsBefore).as("read back, then posted alone").isEqualTo(3);
        // one sample per request: the batch of four and the lone POST; the documents they carried
        String goods = GoodsMovementType.NAME;
        assertThat(registry.get("millwright.erp.send").tag("documentType", goods).timer().count()).isEqualTo(2);
        assertThat(registry.get("millwright.erp.send.documents").tag("documentType", goods).summary().totalAmount()).isEqualTo(5);
        assertThat(registry.get("millwright.erp.send").tag("documentType", ConfirmationDocumentType.NAME).timer().count()).isEqualTo(1);
        assertThat(metrics.count(goods, "posted")).isEqualTo(3);
        assertThat(metrics.count(goods, "retried")).as("the refused one, waiting for its read-back").isEqualTo(1);
        assertThat(metrics.count(goods, "parked")).isEqualTo(1);
        assertThat(metrics.count(ConfirmationDocumentType.NAME, "posted")).isEqualTo(4);
    }

    static double depth(io.micrometer.core.instrument.MeterRegistry registry, String documentType, String status) {
        return registry.get("millwright.erp.outbox.depth").tag("documentType", documentType).tag("status", status).gauge().value();
    }
}
