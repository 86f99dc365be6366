package io.millwright.erp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Metrics of the ERP path (issue 8), under {@code /actuator/metrics}, each tagged with the document
 * type ({@code production-confirmation}, {@code goods-movement}, {@code maintenance-notification}):
 * <ul>
 *   <li>{@code millwright.erp.outbox.depth{documentType, status}}: rows per status (pending, parked);</li>
 *   <li>{@code millwright.erp.outbox.oldest.pending.age{documentType}}: seconds since the oldest pending row was created;</li>
 *   <li>{@code millwright.erp.send{documentType}}: time of one request to SAP (send latency): a POST of one
 *       document, or one {@code $batch} request of several;</li>
 *   <li>{@code millwright.erp.send.documents{documentType}}: documents per request (1 for a POST, the
 *       batch's size for a {@code $batch}), so send time ÷ documents is the time per document;</li>
 *   <li>{@code millwright.erp.outcomes{documentType, outcome}}: posted, found (by read-back), parked,
 *       authorization (parked, alerted), retried.</li>
 * </ul>
 * The gauges query the outbox (index on document type and status) when read (a scrape), not on the hot path.
 */
public class ErpMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> sends = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> documents = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> outcomes = new ConcurrentHashMap<>();

    /** Metrics of production confirmations only. */
    public ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc) {
        this(registry, jdbc, List.of(ConfirmationTracking.PRODUCTION_CONFIRMATION));
    }

    /** @param documentTypes the document types whose outbox depth and age are gauged */
    public ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc, Collection<String> documentTypes) {
        this.registry = registry;
        for (String type : documentTypes) {
            send(type);
            if (jdbc == null) {
                continue;
            }
            for (String status : new String[] {"PENDING", "PARKED"}) {
                Gauge.builder("millwright.erp.outbox.depth", () -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM confirmation_outbox WHERE document_type = :type AND status = :status",
                                new MapSqlParameterSource("type", type).addValue("status", status), Long.class))
                        .description("outbox rows by document type and status").tag("documentType", type)
                        .tag("status", status.toLowerCase()).register(registry);
            }
            Gauge.builder("millwright.erp.outbox.oldest.pending.age", () -> {
                        Timestamp oldest = jdbc.queryForObject("SELECT MIN(created_at) FROM confirmation_outbox"
                                + " WHERE document_type = :type AND status = 'PENDING'", new MapSqlParameterSource("type", type),
                                Timestamp.class);
                        return oldest == null ? 0 : Duration.between(oldest.toInstant(), Clock.systemUTC().instant()).toMillis() / 1000.0;
                    })
                    .description("seconds since the oldest pending row of the document type was created").baseUnit("seconds")
                    .tag("documentType", type).register(registry);
        }
    }

    /** Metrics that go nowhere (tests, or no registry). */
    public static ErpMetrics none() {
        return new ErpMetrics(new SimpleMeterRegistry(), null);
    }

    /** Time of one request to SAP: a POST of one document, or a {@code $batch} of several (see {@link #documentsSent}). */
    Timer send(String documentType) {
        return sends.computeIfAbsent(documentType, type -> Timer.builder("millwright.erp.send")
                .description("one request to SAP: a POST of one document or a $batch of several").tag("documentType", type)
                .register(registry));
    }

    /** Documents one request to SAP carries: 1 for a POST, the batch's size for a {@code $batch}. */
    void documentsSent(String documentType, int count) {
        documents.computeIfAbsent(documentType, type -> DistributionSummary.builder("millwright.erp.send.documents")
                .description("documents per request to SAP (1 = a single POST; more = one $batch)").tag("documentType", type)
                .register(registry)).record(count);
    }

    void outcome(String documentType, String outcome) {
        outcomes.computeIfAbsent(List.of(documentType, outcome), k -> Counter.builder("millwright.erp.outcomes")
                .description("answers of SAP by class").tag("documentType", documentType).tag("outcome", outcome)
                .register(registry)).increment();
    }

    /** Outcomes of this class over all document types. */
    double count(String outcome) {
        return outcomes.entrySet().stream().filter(e -> e.getKey().get(1).equals(outcome)).mapToDouble(e -> e.getValue().count()).sum();
    }

    double count(String documentType, String outcome) {
        Counter counter = outcomes.get(List.of(documentType, outcome));
        return counter == null ? 0 : counter.count();
    }
}
