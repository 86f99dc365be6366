package io.millwright.erp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.ProductionConfirmation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Posts production confirmations to SAP's API_PROD_ORDER_CONFIRMATION_2_SRV (OData V2) and reads
 * them back by idempotency key. The HTTP side (logon, CSRF session per service root, safe under
 * concurrent POSTs, answers classified) is the hub's one {@link ODataDocumentClient}, which the
 * other document types share through {@link #odata()}. Never logs the password or HTTP headers.
 */
public class SapConfirmationClient {

    private static final String ENTITY_SET = "ProdnOrdConf2";
    private static final String WHAT = "confirmation";

    private final ObjectMapper json;
    private final String serviceRoot;
    private final ODataDocumentClient odata;

    public SapConfirmationClient(ErpProperties settings, ObjectMapper json) {
        this(settings, json, null);
    }

    /** @param tokens OAuth2 access tokens to log on with; null = HTTP Basic with {@code username}/{@code password} */
    public SapConfirmationClient(ErpProperties settings, ObjectMapper json, ErpTokenSource tokens) {
        this.json = json;
        this.serviceRoot = settings.baseUrl().endsWith("/") ? settings.baseUrl() : settings.baseUrl() + "/";
        this.odata = new ODataDocumentClient(settings, json, tokens);
    }

    /** The OData client this one posts with, for the other document types: one logon, one token cache. */
    ODataDocumentClient odata() {
        return odata;
    }

    /**
     * Creates the confirmation in SAP.
     *
     * @return SAP's key of the created confirmation
     * @throws ErpRejectedException SAP refused it for a business reason (4xx with SAP's error)
     * @throws ErpUnavailableException no verdict: 5xx, timeout, IO, logon refused
     */
    public PostedConfirmation post(ProductionConfirmation confirmation) {
        ODataDocumentClient.Subject subject = subject(confirmation.idempotencyKey(), confirmation.orderId(), confirmation.operation());
        JsonNode d = odata.create(serviceRoot, ENTITY_SET, payload(confirmation), subject);
        String group = d.path("ConfirmationGroup").asText("");
        String count = d.path("ConfirmationCount").asText("");
        if (!group.isBlank() && !count.isBlank()
                && confirmation.idempotencyKey().equals(d.path("ConfirmationText").asText(confirmation.idempotencyKey()))) {
            return new PostedConfirmation(group, count);
        }
        // SAP answered "done" with something the hub cannot read: whether it holds the confirmation is verified by read-back
        throw new ErpUnavailableException("SAP answered HTTP 201 without a readable confirmation key="
                + confirmation.idempotencyKey() + " order=" + confirmation.orderId() + " operation=" + confirmation.operation()
                + "; it is read back before anything else", confirmation.orderId(), confirmation.operation(),
                confirmation.idempotencyKey(), 201, null, true);
    }

    /**
     * What became of one confirmation of {@link #postBatch}: SAP's key, or why not (classified as
     * {@link #post}'s exceptions: {@link ErpRejectedException} SAP's verdict, {@link ErpAuthorizationException},
     * {@link ErpUnavailableException} no verdict, read back before it is posted again when uncertain).
     */
    public record BatchOutcome(ProductionConfirmation confirmation, PostedConfirmation posted, ErpException failure) {}

    /**
     * Creates the confirmations in SAP with OData {@code $batch}: at most {@code batchSize} per
     * request, one changeset per confirmation (SAP books or refuses each on its own), each result
     * mapped back to its confirmation in the order given. A batch that got no answer gives each of its
     * confirmations that {@link ErpUnavailableException}: whether SAP booked them is read back before
     * any of them is posted again, as after a single POST.
     */
    public List<BatchOutcome> postBatch(List<ProductionConfirmation> confirmations, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize=" + batchSize + ": must be at least 1");
        }
        List<BatchOutcome> outcomes = new java.util.ArrayList<>(confirmations.size());
        for (int from = 0; from < confirmations.size(); from += batchSize) {
            List<ProductionConfirmation> chunk = confirmations.subList(from, Math.min(confirmations.size(), from + batchSize));
            List<ODataDocumentClient.Subject> subjects = chunk.stream()
                    .map(c -> subject(c.idempotencyKey(), c.orderId(), c.operation())).toList();
            List<ODataDocumentClient.BatchResult> results;
            try {
                results = odata.createBatch(serviceRoot, ENTITY_SET, chunk.stream().map(this::payload).toList(), subjects);
            } catch (ErpException whole) {
                chunk.forEach(c -> outcomes.add(new BatchOutcome(c, null, whole)));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                ProductionConfirmation confirmation = chunk.get(i);
                ODataDocumentClient.BatchResult result = results.get(i);
                if (result.failure() != null) {
                    outcomes.add(new BatchOutcome(confirmation, null, result.failure()));
                    continue;
                }
                JsonNode d = result.created();
                String group = d.path("ConfirmationGroup").asText("");
                String count = d.path("ConfirmationCount").asText("");
                if (!group.isBlank() && !count.isBlank()
                        && confirmation.idempotencyKey().equals(d.path("ConfirmationText").asText(confirmation.idempotencyKey()))) {
                    outcomes.add(new BatchOutcome(confirmation, new PostedConfirmation(group, count), null));
                } else {
                    outcomes.add(new BatchOutcome(confirmation, null, new ErpUnavailableException(
                            "SAP answered 201 in its $batch without this confirmation's key key=" + confirmation.idempotencyKey()
                                    + " order=" + confirmation.orderId() + "; it is read back", confirmation.orderId(),
                            confirmation.operation(), confirmation.idempotencyKey(), 201, null, true)));
                }
            }
        }
        return outcomes;
    }

    /** The confirmation SAP holds with this key in ConfirmationText, whatever its order (see {@link #find}). */
    public Optional<PostedConfirmation> findByIdempotencyKey(String idempotencyKey) {
        return find(idempotencyKey, null, null);
    }

    /**
     * The confirmation SAP holds for this one: ConfirmationText equal to its key, and its order and
     * operation (issue 8, hole 8). Entities that do not match are not taken for it, in case SAP does
     * not filter on ConfirmationText; server-side paging ({@code __next}) and client paging by
     * {@code $top}/{@code $skip} are followed to the end.
     */
    public Optional<PostedConfirmation> find(ProductionConfirmation confirmation) {
        return find(confirmation.idempotencyKey(), confirmation.orderId(), confirmation.operation());
    }

    private Optional<PostedConfirmation> find(String idempotencyKey, String orderId, String operation) {
        StringBuilder filter = new StringBuilder("ConfirmationText eq '" + literal(idempotencyKey) + "'");
        if (orderId != null) {
            filter.append(" and OrderID eq '").append(literal(orderId)).append("' and OrderOperation eq '")
                    .append(literal(operation)).append("'");
        }
        return odata.find(serviceRoot, ENTITY_SET, filter.toString(),
                        entity -> idempotencyKey.equals(entity.path("ConfirmationText").asText(null))
                                && (orderId == null || (orderId.equals(entity.path("OrderID").asText(null))
                                        && operation.equals(entity.path("OrderOperation").asText(null)))),
                        subject(idempotencyKey, orderId, operation))
                .map(entity -> new PostedConfirmation(entity.path("ConfirmationGroup").asText(), entity.path("ConfirmationCount").asText()));
    }

    /**
     * What SAP holds for one order operation: the sums of ConfirmationYieldQuantity and
     * ConfirmationScrapQuantity over all its confirmations (reversed and reversal entries, where SAP
     * reports them, excluded), following paging to the end.
     *
     * @return {yield, scrap}
     */
    public BigDecimal[] totals(String orderId, String operation) {
        String filter = "OrderID eq '" + literal(orderId) + "' and OrderOperation eq '" + literal(operation) + "'";
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO};
        odata.scan(serviceRoot, ENTITY_SET, filter, entity -> {
            if (orderId.equals(entity.path("OrderID").asText(null)) && operation.equals(entity.path("OrderOperation").asText(null))
                    && !entity.path("IsReversed").asBoolean(false) && !entity.path("IsReversal").asBoolean(false)) {
                sums[0] = sums[0].add(new BigDecimal(entity.path("ConfirmationYieldQuantity").asText("0")));
                sums[1] = sums[1].add(new BigDecimal(entity.path("ConfirmationScrapQuantity").asText("0")));
            }
            return false;
        }, subject(null, orderId, operation));
        return sums;
    }

    private static ODataDocumentClient.Subject subject(String key, String orderId, String operation) {
        return new ODataDocumentClient.Subject(WHAT, orderId, operation, key);
    }

    private static String literal(String text) {
        return text.replace("'", "''");
    }

    /** The ProdnOrdConf2 entity as SAP expects it in V2 JSON (REFERENCE §1.1, §1.6). */
    byte[] payload(ProductionConfirmation confirmation) {
        Map<String, Object> entity = new LinkedHashMap<>();
        entity.put("OrderID", confirmation.orderId());
        entity.put("Sequence", "0");
        entity.put("OrderOperation", confirmation.operation());
        entity.put("ConfirmationYieldQuantity", decimal(confirmation.yieldQuantity()));
        entity.put("ConfirmationScrapQuantity", decimal(confirmation.scrapQuantity()));
        entity.put("ConfirmationUnit", confirmation.unit());
        long midnight = confirmation.postingDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        entity.put("PostingDate", "/Date(" + midnight + ")/");
        entity.put("FinalConfirmationType", confirmation.finalConfirmation() ? "X" : "");
        entity.put("ConfirmationText", confirmation.idempotencyKey());
        try {
            return json.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write confirmation key=" + confirmation.idempotencyKey(), e);
        }
    }

    private static String decimal(BigDecimal value) {
        return value.setScale(3, RoundingMode.HALF_UP).toPlainString();
    }
}
