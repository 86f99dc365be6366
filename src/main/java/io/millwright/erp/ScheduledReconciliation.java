package io.millwright.erp;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One run of the scheduled reconciliation (route {@code erp-reconciliation}): every order
 * operation with outbox activity within the lookback that is settled (no confirmation pending, no
 * count waiting for its window) is {@linkplain Reconciliation#reconcile reconciled}; any difference
 * between plant, hub and ERP raises the {@value ErpAlerts#VARIANCE} alert, agreement clears it. A
 * parked confirmation is a variance too: the plant counted parts the ERP does not hold.
 */
@Component
class ScheduledReconciliation {

    private static final Logger log = LoggerFactory.getLogger(ScheduledReconciliation.class);

    /** What one run found. */
    record Outcome(int reconciled, int variances) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final Reconciliation reconciliation;
    private final ErpAlerts alerts;
    private final ErpReconciliationProperties settings;
    private final Clock clock = Clock.systemUTC();

    ScheduledReconciliation(NamedParameterJdbcTemplate jdbc, Reconciliation reconciliation, ErpAlerts alerts,
            ErpReconciliationProperties settings) {
        this.jdbc = jdbc;
        this.reconciliation = reconciliation;
        this.alerts = alerts;
        this.settings = settings;
    }

    Outcome run() {
        List<Map<String, Object>> candidates = jdbc.queryForList("""
                SELECT DISTINCT o.order_id, o.operation FROM confirmation_outbox o WHERE o.updated_at >= :since
                AND NOT EXISTS (SELECT 1 FROM confirmation_outbox p WHERE p.order_id = o.order_id AND p.operation = o.operation
                    AND p.status = 'PENDING')
                AND NOT EXISTS (SELECT 1 FROM production_count_ledger l WHERE l.order_id = o.order_id AND l.operation = o.operation
                    AND l.confirmation_key IS NULL)
                ORDER BY o.order_id, o.operation
                """, new MapSqlParameterSource("since", Timestamp.from(clock.instant().minus(settings.lookback()))));
        int variances = 0;
        for (Map<String, Object> candidate : candidates) {
            String order = (String) candidate.get("order_id");
            String operation = (String) candidate.get("operation");
            Map<String, Object> result = reconciliation.reconcile(order, operation);
            if (differs(result)) {
                variances++;
                alerts.variance(order, operation, "order " + order + " operation " + operation + ": plant " + result.get("plant")
                        + ", hub " + result.get("hub") + ", ERP " + result.get("erp") + ", variance (plant - ERP) "
                        + result.get("variance"));
            } else {
                alerts.reconciled(order, operation);
            }
        }
        log.info("ERP reconciliation run orderOperations={} variances={}", candidates.size(), variances);
        return new Outcome(candidates.size(), variances);
    }

    @SuppressWarnings("unchecked")
    private static boolean differs(Map<String, Object> result) {
        Map<String, Object> plant = (Map<String, Object>) result.get("plant");
        Map<String, Object> hub = (Map<String, Object>) result.get("hub");
        Map<String, Object> erp = (Map<String, Object>) result.get("erp");
        for (String quantity : List.of("good", "scrap")) {
            BigDecimal held = new BigDecimal(erp.get(quantity).toString());
            if (held.compareTo(new BigDecimal(plant.get(quantity).toString())) != 0
                    || held.compareTo(new BigDecimal(hub.get(quantity).toString())) != 0) {
                return true;
            }
        }
        return false;
    }
}
