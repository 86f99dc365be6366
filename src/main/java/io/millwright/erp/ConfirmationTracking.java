package io.millwright.erp;

import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tracking of the documents the hub sends to the ERP (today: production confirmations): where each
 * stands, what it was built from (the ledger increments, by asset and counter), and what people did
 * with it (resubmit, discard), each action in the audit log with the user. Reads the outbox; the
 * relay's rules apply unchanged (a resubmitted row is read back before any POST).
 */
@Service
public class ConfirmationTracking {

    /** Document type of a production confirmation (API_PROD_ORDER_CONFIRMATION_2_SRV, ProdnOrdConf2). */
    public static final String PRODUCTION_CONFIRMATION = "production-confirmation";

    /** Tracking statuses, lower case in the API. */
    public enum TrackingStatus {
        PENDING, SENT, CONFIRMED, FAILED, PARKED, RESUBMITTED, DISCARDED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        static TrackingStatus parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("status=" + text + ": must be one of pending, sent, confirmed, failed, parked, "
                        + "resubmitted, discarded");
            }
        }
    }

    /**
     * An edited payload for a resubmit; null fields keep the original's value.
     *
     * @param reason why it was edited (kept in the audit log)
     */
    public record Edit(BigDecimal yieldQuantity, BigDecimal scrapQuantity, String unit, LocalDate postingDate, String reason) {

        boolean isEmpty() {
            return yieldQuantity == null && scrapQuantity == null && unit == null && postingDate == null;
        }
    }

    /** A bad value in a request, with the field it is in. */
    public static class InvalidFieldException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidFieldException(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Query of {@code GET /api/tracking}; null fields do not filter. */
    public record Query(String order, String operation, String asset, String status, Instant from, Instant to) {}

    private static final Logger log = LoggerFactory.getLogger(ConfirmationTracking.class);
    private static final String STATUS_SQL = """
            CASE WHEN o.status = 'POSTED' THEN 'confirmed'
                 WHEN o.status = 'PARKED' THEN 'parked'
                 WHEN o.status = 'DISCARDED' THEN 'discarded'
                 WHEN o.status = 'REPLACED' THEN 'resubmitted'
                 WHEN o.read_back_first THEN 'resubmitted'
                 WHEN o.attempts > 0 AND o.last_error IS NOT NULL THEN 'failed'
                 WHEN o.attempts > 0 THEN 'sent'
                 ELSE 'pending' END""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ConfirmationOutbox outbox;
    private final Clock clock = Clock.systemUTC();
    private final SapConfirmationClient sap;
    private final ProducerTemplate deadLetters;

    /** Without an ERP client (no edited resubmits) and without closing dead letters: for tests of the read side. */
    public ConfirmationTracking(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox) {
        this(jdbc, transaction, outbox, null, null);
    }

    /**
     * @param sap reads a confirmation back before an edited copy of it is queued
     * @param deadLetters closes the dead letters of what was resubmitted or discarded here ({@value Endpoints#DEAD_LETTER_CLOSE})
     */
    @Autowired
    public ConfirmationTracking(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction, ConfirmationOutbox outbox,
            SapConfirmationClient sap, ProducerTemplate deadLetters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.outbox = outbox;
        this.sap = sap;
        this.deadLetters = deadLetters;
    }

    /** One page of tracking records, oldest first; {@code next} is the offset of the following page, or null. */
    public Map<String, Object> list(Query query, int offset, int limit) {
        var params = new MapSqlParameterSource("limit", limit + 1).addValue("offset", offset);
        List<Map<String, Object>> items = select(where(query, params), params);
        Map<String, Object> page = new LinkedHashMap<>();
        boolean more = items.size() > limit;
        page.put("items", more ? new ArrayList<>(items.subList(0, limit)) : items);
        page.put("next", more ? String.valueOf(offset + limit) : null);
        return page;
    }

    private static String where(Query query, MapSqlParameterSource params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (query.order() != null && !query.order().isBlank()) {
            where.append(" AND o.order_id = :order");
            params.addValue("order", query.order());
        }
        if (query.operation() != null && !query.operation().isBlank()) {
            where.append(" AND o.operation = :operation");
            params.addValue("operation", query.operation());
        }
        if (query.asset() != null && !query.asset().isBlank()) {
            where.append(" AND EXISTS (SELECT 1 FROM production_count_ledger l WHERE l.confirmation_key = o.idempotency_key"
                    + " AND l.asset_path = :asset)");
            params.addValue("asset", query.asset());
        }
        if (query.status() != null && !query.status().isBlank()) {
            where.append(" AND ").append(STATUS_SQL.replace("\n", " ")).append(" = :status");
            params.addValue("status", TrackingStatus.parse(query.status()).value());
        }
        if (query.from() != null) {
            where.append(" AND o.created_at >= :from");
            params.addValue("from", Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            where.append(" AND o.created_at < :to");
            params.addValue("to", Timestamp.from(query.to()));
        }
        return where.toString();
    }

    /** The most recently changed records first (what a live view shows as "last confirmations"). */
    public List<Map<String, Object>> latest(int limit) {
        return select("", new MapSqlParameterSource("limit", limit).addValue("offset", 0),
                " ORDER BY o.updated_at DESC, o.idempotency_key DESC");
    }

    private List<Map<String, Object>> select(String where, MapSqlParameterSource params) {
        return select(where, params, " ORDER BY o.created_at, o.idempotency_key");
    }

    private List<Map<String, Object>> select(String where, MapSqlParameterSource params, String orderBy) {
        return jdbc.query("SELECT o.*, " + STATUS_SQL + " AS tracking_status, "
                + "(SELECT MIN(l.asset_path) FROM production_count_ledger l WHERE l.confirmation_key = o.idempotency_key) AS asset_path "
                + "FROM confirmation_outbox o" + where + orderBy + " OFFSET :offset ROWS FETCH FIRST :limit ROWS ONLY",
                params, (rs, row) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("key", rs.getString("idempotency_key"));
                    item.put("documentType", rs.getString("document_type"));
                    item.put("status", rs.getString("tracking_status"));
                    item.put("orderId", rs.getString("order_id"));
                    item.put("operation", rs.getString("operation"));
                    item.put("assetPath", rs.getString("asset_path"));
                    item.put("attempts", rs.getInt("attempts"));
                    item.put("lastError", rs.getString("last_error"));
                    item.put("replaces", rs.getString("replaces"));
                    item.put("replacedBy", rs.getString("replaced_by"));
                    item.put("erpDocument", erpDocument(rs));
                    if (PRODUCTION_CONFIRMATION.equals(rs.getString("document_type"))) {
                        item.put("yieldQuantity", rs.getBigDecimal("yield_quantity"));
                        item.put("scrapQuantity", rs.getBigDecimal("scrap_quantity"));
                        item.put("unit", rs.getString("unit"));
                        item.put("postingDate", rs.getDate("posting_date").toLocalDate().toString());
                        item.put("finalConfirmation", rs.getBoolean("final_confirmation"));
                    } else {
                        item.put("payload", rs.getString("document"));
                    }
                    item.put("createdAt", rs.getTimestamp("created_at").toInstant().toString());
                    item.put("updatedAt", rs.getTimestamp("updated_at").toInstant().toString());
                    return item;
                });
    }

    /**
     * The ERP's keys of a posted document, in lower camel case: {@code confirmationGroup}/{@code confirmationCount},
     * {@code materialDocumentYear}/{@code materialDocument}, {@code maintenanceNotification}; null until posted.
     */
    private static Map<String, String> erpDocument(java.sql.ResultSet rs) throws java.sql.SQLException {
        ErpDocumentKey key = ErpDocumentJson.key(rs.getString("erp_document"));
        if (key == null) {
            String group = rs.getString("sap_confirmation_group");
            key = group == null ? null : ErpDocumentKey.of("ConfirmationGroup", group, "ConfirmationCount",
                    rs.getString("sap_confirmation_count"));
        }
        if (key == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        key.fields().forEach((name, value) -> fields.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), value));
        return fields;
    }

    /**
     * The record with its lineage (the ledger increments it was built from; for an edited copy, those
     * of the original; each with the signal event id, source, node id and value of the reading it was
     * counted from, and the id of the production-count event published for it) and audit log; empty
     * if the key is unknown.
     */
    public Optional<Map<String, Object>> get(String key) {
        List<Map<String, Object>> found = select(" WHERE o.idempotency_key = :key",
                new MapSqlParameterSource("key", key).addValue("offset", 0).addValue("limit", 1));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> record = new LinkedHashMap<>(found.get(0));
        List<String> source = jdbc.queryForList("SELECT source_key FROM confirmation_outbox WHERE idempotency_key = :key",
                new MapSqlParameterSource("key", key), String.class);
        if (!source.isEmpty() && source.get(0) != null) {
            // a derived document (goods issue): the confirmation it was built from, whose increments are its lineage
            record.put("sourceKey", source.get(0));
        }
        record.put("lineage", jdbc.query("""
                SELECT id, asset_path, counter, delta, unit, observed_at, source_event_id, count_event_id, source, source_node,
                    source_value FROM production_count_ledger
                WHERE confirmation_key = :key ORDER BY id
                """, new MapSqlParameterSource("key", original(key)), (rs, row) -> {
                    Map<String, Object> increment = new LinkedHashMap<>();
                    increment.put("ledgerId", rs.getLong("id"));
                    increment.put("assetPath", rs.getString("asset_path"));
                    increment.put("counter", rs.getString("counter"));
                    increment.put("delta", rs.getLong("delta"));
                    increment.put("unit", rs.getString("unit"));
                    increment.put("observedAt", rs.getTimestamp("observed_at").toInstant().toString());
                    // where the increment was counted from: the reading's signal event, the node and value it carried,
                    // and the production-count event the hub published (null for increments booked before V38)
                    increment.put("sourceEventId", rs.getString("source_event_id"));
                    increment.put("productionCountEventId", rs.getString("count_event_id"));
                    increment.put("source", rs.getString("source"));
                    increment.put("nodeId", rs.getString("source_node"));
                    increment.put("value", rs.getString("source_value"));
                    return increment;
                }));
        record.put("audit", audit(key));
        return Optional.of(record);
    }

    /**
     * The key whose ledger increments a record was built from: its own; for an edited copy the first
     * original's; for a goods issue its confirmation's (column source_key).
     */
    private String original(String key) {
        String current = key;
        for (int step = 0; step < 100; step++) {
            List<String> earlier = jdbc.query("SELECT replaces, source_key FROM confirmation_outbox WHERE idempotency_key = :key",
                    new MapSqlParameterSource("key", current),
                    (rs, row) -> rs.getString("replaces") != null ? rs.getString("replaces") : rs.getString("source_key"));
            if (earlier.isEmpty() || earlier.get(0) == null) {
                return current;
            }
            current = earlier.get(0);
        }
        return current;
    }

    /**
     * Puts a parked confirmation back in the outbox, to be read back before any POST, and closes
     * its dead letter (resubmitted).
     *
     * @throws IllegalArgumentException unknown key
     * @throws IllegalStateException it is not parked
     */
    public void resubmit(String key, String user) {
        transaction.executeWithoutResult(status -> {
            OutboxEntry entry = parked(key, "resubmitted");
            if (entry.confirmation() != null) {
                outbox.requeue(entry.confirmation());
            } else {
                outbox.requeue(new ErpDocument(entry.documentType(), key, entry.orderId(), entry.operation(),
                        ErpDocumentJson.entity(entry.document())));
            }
            audit(key, "resubmit", user, null);
            closeDeadLetters(key, "RESUBMITTED");
        });
        log.info("ERP document resubmitted key={} user={}", key, user);
    }

    /**
     * Resubmits a parked confirmation with an edited payload: a new confirmation with its own key
     * (tracked on its own, naming the one it replaces) is queued, and the original is kept as
     * REPLACED. Before that the original is read back from the ERP: if the ERP holds it already (a
     * person booked it, or an earlier attempt got through), it is marked confirmed and no copy is
     * made, so no quantity is ever booked twice.
     *
     * @return the key of the new confirmation
     * @throws InvalidFieldException an edited value is not valid
     * @throws IllegalArgumentException unknown key
     * @throws IllegalStateException it is not parked, or the ERP holds it already
     * @throws ErpUnavailableException the ERP could not be read (nothing changed)
     */
    public String resubmitEdited(String key, Edit edit, String user) {
        if (edit == null || edit.isEmpty()) {
            resubmit(key, user);
            return key;
        }
        if (sap == null) {
            throw new IllegalStateException("edited resubmits need the ERP client to read the original back first");
        }
        OutboxEntry entry = parked(key, "resubmitted");
        ProductionConfirmation original = entry.confirmation();
        ProductionConfirmation edited = validated(original, edit);
        Optional<PostedConfirmation> held = sap.find(original);
        if (held.isPresent()) {
            transaction.executeWithoutResult(status -> {
                outbox.markPosted(key, held.get());
                audit(key, "found-in-erp", user, "read back before an edited resubmit: ConfirmationGroup "
                        + held.get().confirmationGroup() + " ConfirmationCount " + held.get().confirmationCount());
                closeDeadLetters(key, "RESUBMITTED");
            });
            throw new IllegalStateException("document " + key + " is in the ERP already (ConfirmationGroup " + held.get().confirmationGroup()
                    + ", ConfirmationCount " + held.get().confirmationCount() + "): it is now confirmed, and an edited copy would "
                    + "book the quantity twice; correct it in the ERP instead");
        }
        String detail = "as " + edited.idempotencyKey() + ": yield " + plain(original.yieldQuantity()) + " -> "
                + plain(edited.yieldQuantity()) + ", scrap " + plain(original.scrapQuantity()) + " -> " + plain(edited.scrapQuantity())
                + ", unit " + original.unit() + " -> " + edited.unit() + ", posting date " + original.postingDate() + " -> "
                + edited.postingDate() + (edit.reason() == null || edit.reason().isBlank() ? "" : "; reason: " + edit.reason());
        transaction.executeWithoutResult(status -> {
            int replaced = jdbc.update("""
                    UPDATE confirmation_outbox SET status = 'REPLACED', replaced_by = :edited, updated_at = :now
                    WHERE idempotency_key = :key AND status = 'PARKED'
                    """, new MapSqlParameterSource("key", key).addValue("edited", edited.idempotencyKey())
                    .addValue("now", Timestamp.from(clock.instant())));
            if (replaced != 1) {
                throw new IllegalStateException("document " + key + " changed meanwhile; nothing was resubmitted");
            }
            if (!outbox.enqueue(edited)) {
                throw new IllegalStateException("document " + key + ": the key " + edited.idempotencyKey()
                        + " of its edited copy exists already; nothing was resubmitted, try again");
            }
            jdbc.update("UPDATE confirmation_outbox SET replaces = :key WHERE idempotency_key = :edited",
                    new MapSqlParameterSource("key", key).addValue("edited", edited.idempotencyKey()));
            audit(key, "resubmit-edited", user, detail);
            audit(edited.idempotencyKey(), "created-by-edit", user, "replaces " + key
                    + (edit.reason() == null || edit.reason().isBlank() ? "" : "; reason: " + edit.reason()));
            closeDeadLetters(key, "RESUBMITTED");
        });
        log.info("ERP document resubmitted with an edited payload key={} newKey={} user={} {}", key, edited.idempotencyKey(), user,
                detail);
        return edited.idempotencyKey();
    }

    /**
     * Resubmits every parked record the query matches, each as {@link #resubmit} does (read back
     * first, audited with the user, its dead letter closed).
     *
     * @return the keys resubmitted
     * @throws IllegalArgumentException the query names a status other than parked
     */
    public List<String> resubmitAll(Query query, String user) {
        if (query.status() != null && !query.status().isBlank() && TrackingStatus.parse(query.status()) != TrackingStatus.PARKED) {
            throw new InvalidFieldException("status", "'" + query.status() + "': only parked documents can be resubmitted");
        }
        var params = new MapSqlParameterSource("limit", 10_000).addValue("offset", 0);
        String where = where(new Query(query.order(), query.operation(), query.asset(), "parked", query.from(), query.to()), params);
        List<String> keys = jdbc.queryForList("SELECT o.idempotency_key FROM confirmation_outbox o" + where
                + " ORDER BY o.created_at, o.idempotency_key OFFSET :offset ROWS FETCH FIRST :limit ROWS ONLY", params, String.class);
        List<String> resubmitted = new ArrayList<>();
        for (String key : keys) {
            try {
                resubmit(key, user);
                resubmitted.add(key);
            } catch (IllegalStateException e) {
                // resubmitted or discarded by someone else since the query: not ours to count
                log.debug("Skipped in bulk resubmit key={} reason={}", key, e.getMessage());
            }
        }
        log.info("ERP documents resubmitted in bulk count={} user={} query={}", resubmitted.size(), user, query);
        return resubmitted;
    }

    private OutboxEntry parked(String key, String action) {
        OutboxEntry entry = outbox.find(key).orElseThrow(() -> new IllegalArgumentException("document " + key + " does not exist"));
        if (entry.status() != OutboxEntry.Status.PARKED) {
            throw new IllegalStateException("document " + key + " is " + entry.status().name().toLowerCase(Locale.ROOT)
                    + "; only parked documents can be " + action);
        }
        return entry;
    }

    /** The original with the edit applied, checked against what SAP's ProdnOrdConf2 takes (Decimal 13,3; unit 3). */
    private ProductionConfirmation validated(ProductionConfirmation original, Edit edit) {
        BigDecimal yield = edit.yieldQuantity() == null ? original.yieldQuantity() : quantity("yieldQuantity", edit.yieldQuantity());
        BigDecimal scrap = edit.scrapQuantity() == null ? original.scrapQuantity() : quantity("scrapQuantity", edit.scrapQuantity());
        String unit = edit.unit() == null ? original.unit() : edit.unit().trim();
        if (unit.isEmpty() || unit.length() > 3) {
            throw new InvalidFieldException("unit", "'" + edit.unit() + "' must be 1 to 3 characters (SAP ConfirmationUnit)");
        }
        if (yield.signum() == 0 && scrap.signum() == 0) {
            throw new InvalidFieldException("yieldQuantity", "yield and scrap are both 0: discard the document instead");
        }
        LocalDate postingDate = edit.postingDate() == null ? original.postingDate() : edit.postingDate();
        String key = "MWE-" + original.orderId() + "-" + original.operation() + "-" + Long.toString(clock.millis(), 36);
        return new ProductionConfirmation(original.orderId(), original.operation(), yield, scrap, unit,
                original.finalConfirmation(), postingDate, key);
    }

    private static BigDecimal quantity(String field, BigDecimal value) {
        if (value.signum() < 0) {
            throw new InvalidFieldException(field, value.toPlainString() + " is negative");
        }
        if (value.stripTrailingZeros().scale() > 3 || value.setScale(3, java.math.RoundingMode.UNNECESSARY).precision() > 13) {
            throw new InvalidFieldException(field, value.toPlainString() + " does not fit SAP's Decimal(13,3)");
        }
        return value;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** Closes the document's parked dead letters in the caller's transaction (the route runs on this thread). */
    private void closeDeadLetters(String key, String outcome) {
        if (deadLetters != null) {
            deadLetters.sendBodyAndHeader(Endpoints.DEAD_LETTER_CLOSE, key, MessageHeaders.DEAD_LETTER_OUTCOME, outcome);
        }
    }

    /**
     * Marks a parked confirmation as not to be posted, with the reason.
     *
     * @throws IllegalArgumentException unknown key or blank reason
     * @throws IllegalStateException it is not parked
     */
    public void discard(String key, String reason, String user) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidFieldException("reason", "is required: say why this document is not posted to the ERP");
        }
        transaction.executeWithoutResult(status -> {
            int updated = jdbc.update("""
                    UPDATE confirmation_outbox SET status = 'DISCARDED', last_error = :reason, updated_at = :now
                    WHERE idempotency_key = :key AND status = 'PARKED'
                    """, new MapSqlParameterSource("key", key).addValue("reason", "discarded by " + user + ": " + reason)
                    .addValue("now", Timestamp.from(clock.instant())));
            if (updated == 0) {
                OutboxEntry entry = outbox.find(key).orElseThrow(() -> new IllegalArgumentException("document " + key + " does not exist"));
                throw new IllegalStateException("document " + key + " is " + entry.status().name().toLowerCase(Locale.ROOT)
                        + "; only parked documents can be discarded");
            }
            audit(key, "discard", user, reason);
            closeDeadLetters(key, "DISCARDED");
        });
        log.info("ERP document discarded key={} user={} reason={}", key, user, reason);
    }

    private void audit(String key, String action, String user, String detail) {
        jdbc.update("""
                INSERT INTO erp_audit (document_key, action, user_name, detail, at) VALUES (:key, :action, :user, :detail, :at)
                """, new MapSqlParameterSource("key", key).addValue("action", action).addValue("user", user)
                .addValue("detail", detail).addValue("at", Timestamp.from(clock.instant())));
    }

    private List<Map<String, Object>> audit(String key) {
        return jdbc.query("SELECT action, user_name, detail, at FROM erp_audit WHERE document_key = :key ORDER BY id",
                new MapSqlParameterSource("key", key), (rs, row) -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("action", rs.getString("action"));
                    entry.put("user", rs.getString("user_name"));
                    entry.put("detail", rs.getString("detail"));
                    entry.put("at", rs.getTimestamp("at").toInstant().toString());
                    return entry;
                });
    }

    /** Confirmation of a record, for callers that need the typed document. */
    public Optional<ProductionConfirmation> confirmation(String key) {
        return outbox.find(key).map(OutboxEntry::confirmation);
    }
}
