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
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 *       authorization (parked, alerted), retried;</li>
 *   <li>{@code millwright.erp.relay.last.post.age}: seconds since this hub's relay last saw SAP take a document
 *       (posted, or found by read-back); NaN before the first. Beside a growing oldest pending age, a relay that stopped;</li>
 *   <li>{@code millwright.erp.relay.stalled}: orders whose oldest pending row the relay held back (claimed by another
 *       relay, back-off, SAP's processing timeout) for longer than its warning time at the last poll; each is also
 *       logged once at WARN with the reason.</li>
 * </ul>
 * The gauges query the outbox (index on document type and status) when read (a scrape), not on the hot path.
 */
public class ErpMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> sends = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> documents = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> outcomes = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Instant lastPosted;
    private final AtomicInteger stalled = new AtomicInteger();

    /** Metrics of production confirmations only. */
    public ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc) {
        this(registry, jdbc, List.of(ConfirmationTracking.PRODUCTION_CONFIRMATION));
    }

    /** @param documentTypes the document types whose outbox depth and age are gauged */
    public ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc, Collection<String> documentTypes) {
        this(registry, jdbc, documentTypes, Clock.systemUTC());
    }

    ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc, Collection<String> documentTypes, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("millwright.erp.relay.last.post.age", this, ErpMetrics::secondsSinceLastPost)
                .description("seconds since the relay last saw SAP take a document (posted or found); NaN before the first")
                .baseUnit("seconds").register(registry);
        Gauge.builder("millwright.erp.relay.stalled", stalled, AtomicInteger::get)
                .description("orders whose oldest pending row the relay held back longer than its warning time at the last poll")
                .register(registry);
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

    /** Seconds since SAP last took a document from this relay; NaN before the first. */
    double secondsSinceLastPost() {
        Instant last = lastPosted;
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }

    /** Orders whose head row waited longer than the relay's warning time at its last poll. */
    void stalled(int orders) {
        stalled.set(orders);
    }

    void outcome(String documentType, String outcome) {
        if ("posted".equals(outcome) || "found".equals(outcome)) {
            lastPosted = clock.instant();
        }
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
