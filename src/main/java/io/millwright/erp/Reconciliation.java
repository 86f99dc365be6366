package io.millwright.erp;

import io.millwright.model.InvalidEventException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reconciliation of one order operation: what the plant counted (the ledger, every increment,
 * parked groups included), what the hub confirmed (POSTED outbox rows), and what the ERP holds
 * (read back from SAP now). {@code variance} = plant − ERP: parts counted that SAP does not hold
 * (positive) or holds beyond the count (negative: e.g. booked by hand as well).
 */
@Service
public class Reconciliation {

    private final NamedParameterJdbcTemplate jdbc;
    private final SapConfirmationClient sap;

    public Reconciliation(NamedParameterJdbcTemplate jdbc, SapConfirmationClient sap) {
        this.jdbc = jdbc;
        this.sap = sap;
    }

    /**
     * @throws InvalidEventException order or operation missing (names the one missing)
     * @throws ErpUnavailableException SAP could not be read
     */
    public Map<String, Object> reconcile(String order, String operation) {
        if (order == null || order.isBlank()) {
            throw InvalidEventException.field("order", order, "is required: the production order, e.g. ?order=1000011&operation=0010");
        }
        if (operation == null || operation.isBlank()) {
            throw InvalidEventException.field("operation", operation, "is required: the order's operation, e.g. ?order=1000011&operation=0010");
        }
        var params = new MapSqlParameterSource("order", order).addValue("operation", operation);
        Map<String, Object> plant = jdbc.queryForMap("""
                SELECT COALESCE(SUM(CASE WHEN counter = 'GOOD' THEN delta ELSE 0 END), 0) AS good,
                       COALESCE(SUM(CASE WHEN counter = 'SCRAP' THEN delta ELSE 0 END), 0) AS scrap
                FROM production_count_ledger WHERE order_id = :order AND operation = :operation
                """, params);
        Map<String, Object> hub = jdbc.queryForMap("""
                SELECT COALESCE(SUM(yield_quantity), 0) AS good, COALESCE(SUM(scrap_quantity), 0) AS scrap
                FROM confirmation_outbox WHERE order_id = :order AND operation = :operation AND status = 'POSTED'
                """, params);
        BigDecimal[] erp = sap.totals(order, operation);
        BigDecimal plantGood = decimal(plant.get("good"));
        BigDecimal plantScrap = decimal(plant.get("scrap"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("order", order);
        result.put("operation", operation);
        result.put("plant", pair(plantGood, plantScrap));
        result.put("hub", pair(decimal(hub.get("good")), decimal(hub.get("scrap"))));
        result.put("erp", pair(erp[0], erp[1]));
        result.put("variance", pair(plantGood.subtract(erp[0]), plantScrap.subtract(erp[1])));
        return result;
    }

    private static Map<String, Object> pair(BigDecimal good, BigDecimal scrap) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("good", good.stripTrailingZeros().toPlainString());
        pair.put("scrap", scrap.stripTrailingZeros().toPlainString());
        return pair;
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(value.toString());
    }
}
