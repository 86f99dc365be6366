package io.millwright.production;

import io.millwright.enrich.AssetRegistry;
import io.millwright.enrich.FixedContext;
import io.millwright.model.InvalidEventException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which production order operation runs on which asset, as the machine last reported it. Kept in
 * memory for the hot path and in the database (table {@code asset_order_context}) so that counts
 * read right after a restart are attributed before the order nodes are read again.
 *
 * <p>An order or operation that SAP could not take (longer than SAP's OrderID, 12 characters, or
 * OrderOperation, 4; other than letters and digits) or that cannot be stored is reported
 * ({@link InvalidEventException}, the reading is parked) and leaves that part of the context
 * <em>unknown</em>: counts made after it park as "no order known" until a valid value arrives,
 * and are never attributed to the order that ran before (issue 8, hole 10).
 *
 * <p>Precedence, per part (order, operation): the value a node reported, else the asset's fixed
 * context in {@code mappings/assets.yaml} ({@link FixedContext}). The MES issue (9) adds dispatch
 * from the MES between the two; docs/opcua-adapter.md, "Order context", is the one place that says so.
 */
@Component
public class OrderContext {

    /** The order and operation running on an asset; either may still be unknown (null). */
    public record OrderOperation(String orderId, String operation) {

        public boolean isComplete() {
            return orderId != null && !orderId.isBlank() && operation != null && !operation.isBlank();
        }
    }

    /** SAP's OrderID is 12 characters, OrderOperation 4 (REFERENCE §1.1); the hub's columns match them. */
    static final int ORDER_LENGTH = 12;
    static final int OPERATION_LENGTH = 4;
    private static final Pattern SAP_KEY = Pattern.compile("[A-Za-z0-9]+");

    private final NamedParameterJdbcTemplate jdbc;
    private final AssetRegistry registry;
    private final Map<String, OrderOperation> byAsset = new ConcurrentHashMap<>();

    public OrderContext(NamedParameterJdbcTemplate jdbc, AssetRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        jdbc.query("SELECT asset_path, order_id, operation FROM asset_order_context", rs -> {
            byAsset.put(rs.getString("asset_path"), new OrderOperation(rs.getString("order_id"), rs.getString("operation")));
        });
    }

    /** The order operation running on an asset: each part from its node if reported, else the asset's fixed context. */
    public Optional<OrderOperation> current(String assetPath) {
        OrderOperation reported = byAsset.get(assetPath);
        FixedContext fixed = registry.fixedContext(assetPath);
        if (fixed == FixedContext.NONE) {
            return Optional.ofNullable(reported);
        }
        if (reported == null) {
            return Optional.of(new OrderOperation(fixed.order(), fixed.operation()));
        }
        return Optional.of(new OrderOperation(
                isBlank(reported.orderId()) ? fixed.order() : reported.orderId(),
                isBlank(reported.operation()) ? fixed.operation() : reported.operation()));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Records the order read from the asset's order node. */
    public void updateOrder(String assetPath, String orderId) {
        update(assetPath, orderId, null, true);
    }

    /** Records the operation read from the asset's operation node. */
    public void updateOperation(String assetPath, String operation) {
        update(assetPath, null, operation, false);
    }

    private synchronized void update(String assetPath, String orderId, String operation, boolean isOrder) {
        String field = isOrder ? "orderId" : "operation";
        String value = isOrder ? orderId : operation;
        InvalidEventException invalid = validate(field, value, isOrder ? ORDER_LENGTH : OPERATION_LENGTH);
        if (invalid != null) {
            // unknown from now on: later counts park instead of going to the order that ran before
            value = null;
        }
        OrderOperation before = byAsset.getOrDefault(assetPath, new OrderOperation(null, null));
        OrderOperation after = isOrder
                ? new OrderOperation(value, before.operation())
                : new OrderOperation(before.orderId(), value);
        if (!after.equals(before) || !byAsset.containsKey(assetPath)) {
            // memory first: if the write fails, the hub does not go on with the previous order either
            byAsset.put(assetPath, after);
            write(assetPath, after);
        }
        if (invalid != null) {
            throw invalid;
        }
    }

    private static InvalidEventException validate(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxLength) {
            return InvalidEventException.field(field, value, "is longer than SAP's " + maxLength
                    + " characters; counts stay unattributed (parked) until a valid " + field + " is read");
        }
        if (!SAP_KEY.matcher(value).matches()) {
            return InvalidEventException.field(field, value, "must be letters and digits only, as SAP's key;"
                    + " counts stay unattributed (parked) until a valid " + field + " is read");
        }
        return null;
    }

    private void write(String assetPath, OrderOperation after) {
        var params = new MapSqlParameterSource("assetPath", assetPath)
                .addValue("orderId", after.orderId())
                .addValue("operation", after.operation())
                .addValue("now", Timestamp.from(Instant.now()));
        int updated = jdbc.update("""
                UPDATE asset_order_context SET order_id = :orderId, operation = :operation, updated_at = :now
                WHERE asset_path = :assetPath
                """, params);
        if (updated == 0) {
            jdbc.update("""
                    INSERT INTO asset_order_context (asset_path, order_id, operation, updated_at)
                    VALUES (:assetPath, :orderId, :operation, :now)
                    """, params);
        }
    }
}
