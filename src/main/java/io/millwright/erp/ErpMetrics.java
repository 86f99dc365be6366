package io.millwright.erp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Metrics of the ERP path (issue 8), under {@code /actuator/metrics}:
 * <ul>
 *   <li>{@code millwright.erp.outbox.depth{documentType, status}}: rows per status (pending, parked);</li>
 *   <li>{@code millwright.erp.outbox.oldest.pending.age{documentType}}: seconds since the oldest pending row was created;</li>
 *   <li>{@code millwright.erp.send{documentType}}: time of one POST to SAP (send latency);</li>
 *   <li>{@code millwright.erp.outcomes{documentType, outcome}}: posted, found (by read-back), parked,
 *       authorization (parked, alerted), retried.</li>
 * </ul>
 * The gauges query the outbox when read (a scrape), not on the hot path.
 */
public class ErpMetrics {

    private static final String TYPE = ConfirmationTracking.PRODUCTION_CONFIRMATION;

    private final MeterRegistry registry;
    private final Timer send;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    public ErpMetrics(MeterRegistry registry, NamedParameterJdbcTemplate jdbc) {
        this.registry = registry;
        this.send = Timer.builder("millwright.erp.send").description("one POST of a document to SAP")
                .tag("documentType", TYPE).register(registry);
        if (jdbc != null) {
            for (String status : new String[] {"PENDING", "PARKED"}) {
                Gauge.builder("millwright.erp.outbox.depth", () -> jdbc.queryForObject(
                                "SELECT COUNT(*) FROM confirmation_outbox WHERE status = :status",
                                new MapSqlParameterSource("status", status), Long.class))
                        .description("outbox rows by status").tag("documentType", TYPE).tag("status", status.toLowerCase())
                        .register(registry);
            }
            Gauge.builder("millwright.erp.outbox.oldest.pending.age", () -> {
                        Timestamp oldest = jdbc.queryForObject("SELECT MIN(created_at) FROM confirmation_outbox WHERE status = 'PENDING'",
                                Map.of(), Timestamp.class);
                        return oldest == null ? 0 : Duration.between(oldest.toInstant(), Clock.systemUTC().instant()).toMillis() / 1000.0;
                    })
                    .description("seconds since the oldest pending row was created").baseUnit("seconds").tag("documentType", TYPE)
                    .register(registry);
        }
    }

    /** Metrics that go nowhere (tests, or no registry). */
    public static ErpMetrics none() {
        return new ErpMetrics(new SimpleMeterRegistry(), null);
    }

    Timer send() {
        return send;
    }

    void outcome(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("millwright.erp.outcomes").description("answers of SAP by class")
                .tag("documentType", TYPE).tag("outcome", o).register(registry)).increment();
    }

    double count(String outcome) {
        Counter counter = outcomes.get(outcome);
        return counter == null ? 0 : counter.count();
    }
}
