package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Goods issues for the material a confirmation's parts consumed: for each component of the order in
 * the {@link BillOfMaterials}, (yield + scrap) × quantity per part, rounded to SAP's 3 decimals, as
 * one material document (GoodsMovementCode 03, items of movement type 261 to the ManufacturingOrder).
 * Queued in the outbox in the transaction that queues the confirmation, so material is issued
 * exactly once for the parts confirmed; the relay posts it after the order's earlier documents.
 */
class GoodsIssues {

    private static final Logger log = LoggerFactory.getLogger(GoodsIssues.class);
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final BillOfMaterials bom;
    private final ConfirmationOutbox outbox;
    private final ObjectMapper json;

    GoodsIssues(BillOfMaterials bom, ConfirmationOutbox outbox, ObjectMapper json) {
        this.bom = bom;
        this.outbox = outbox;
        this.json = json;
    }

    /**
     * Queues the goods issue of a confirmation, in the caller's transaction; nothing when the order has
     * no components or the confirmation no parts.
     *
     * @return the document queued, or null
     */
    ErpDocument enqueueFor(ProductionConfirmation confirmation) {
        var components = bom.components(confirmation.orderId());
        BigDecimal parts = confirmation.yieldQuantity().add(confirmation.scrapQuantity());
        if (components.isEmpty() || parts.signum() == 0) {
            return null;
        }
        String key = key(confirmation.idempotencyKey());
        String date = "/Date(" + confirmation.postingDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + ")/";
        ObjectNode header = json.createObjectNode()
                .put("GoodsMovementCode", "03")
                .put("PostingDate", date)
                .put("DocumentDate", date)
                .put("MaterialDocumentHeaderText", key);
        ArrayNode items = header.putObject("to_MaterialDocumentItem").putArray("results");
        for (BillOfMaterials.Component component : components) {
            BigDecimal quantity = parts.multiply(component.quantityPerPart()).setScale(3, RoundingMode.HALF_UP);
            items.addObject()
                    .put("Material", component.material())
                    .put("Plant", component.plant())
                    .put("StorageLocation", component.storageLocation() == null ? "" : component.storageLocation())
                    .put("GoodsMovementType", "261")
                    .put("ManufacturingOrder", confirmation.orderId())
                    .put("QuantityInEntryUnit", quantity.toPlainString())
                    .put("EntryUnit", component.unit());
        }
        ErpDocument document = new ErpDocument(GoodsMovementType.NAME, key, confirmation.orderId(), confirmation.operation(), header);
        if (outbox.enqueue(document)) {
            outbox.linkSource(key, confirmation.idempotencyKey());
            log.debug("Goods issue queued key={} confirmation={} order={} parts={} items={}", key, confirmation.idempotencyKey(),
                    confirmation.orderId(), parts, components.size());
        }
        return document;
    }

    /**
     * The goods issue's key, derived from its confirmation's: {@code MWGI-} and 20 base32 characters of
     * the confirmation key's SHA-256, 25 characters in all, the length of SAP's MaterialDocumentHeaderText.
     */
    static String key(String confirmationKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(confirmationKey.getBytes(StandardCharsets.UTF_8));
            StringBuilder key = new StringBuilder("MWGI-");
            for (int i = 0; key.length() < GoodsMovementType.KEY_LENGTH; i++) {
                key.append(BASE32[(hash[i] & 0xff) >> 3]);
            }
            return key.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
