package io.millwright.production;

import io.millwright.enrich.AssetRegistry;
import io.millwright.enrich.FixedContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which production order operation runs on which asset, as the machine last reported it. Kept in
 * memory for the hot path and in the database (table {@code asset_order_context}) so that counts
 * read right after a restart are attributed before the order nodes are read again.
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
        OrderOperation before = byAsset.getOrDefault(assetPath, new OrderOperation(null, null));
        OrderOperation after = isOrder
                ? new OrderOperation(orderId, before.operation())
                : new OrderOperation(before.orderId(), operation);
        if (after.equals(before) && byAsset.containsKey(assetPath)) {
            return;
        }
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
        byAsset.put(assetPath, after);
    }
}
