package io.millwright.production;

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
 * <p>Precedence (issue 9): a complete order operation read from the asset's own order and
 * operation nodes comes first; else the order operation the MES dispatched to the asset
 * ({@link #dispatch}, table {@code asset_dispatch}); else whatever the nodes gave so far.
 */
@Component
public class OrderContext {

    /** The order and operation running on an asset; either may still be unknown (null). */
    public record OrderOperation(String orderId, String operation) {

        public boolean isComplete() {
            return orderId != null && !orderId.isBlank() && operation != null && !operation.isBlank();
        }
    }

    /** An order operation the MES dispatched to a work unit. */
    public record Dispatch(String orderId, String operation, Instant startTime, String dispatchId) {

        public OrderOperation orderOperation() {
            return new OrderOperation(orderId, operation);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Map<String, OrderOperation> byAsset = new ConcurrentHashMap<>();
    private final Map<String, Dispatch> dispatched = new ConcurrentHashMap<>();

    public OrderContext(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.query("SELECT asset_path, order_id, operation FROM asset_order_context", rs -> {
            byAsset.put(rs.getString("asset_path"), new OrderOperation(rs.getString("order_id"), rs.getString("operation")));
        });
        jdbc.query("SELECT asset_path, order_id, operation, start_time, dispatch_id FROM asset_dispatch", rs -> {
            dispatched.put(rs.getString("asset_path"), new Dispatch(rs.getString("order_id"), rs.getString("operation"),
                    rs.getTimestamp("start_time").toInstant(), rs.getString("dispatch_id")));
        });
    }

    /** The order operation running on the asset, by precedence: complete node values, then MES dispatch, then partial node values. */
    public Optional<OrderOperation> current(String assetPath) {
        OrderOperation fromNodes = byAsset.get(assetPath);
        if (fromNodes != null && fromNodes.isComplete()) {
            return Optional.of(fromNodes);
        }
        Dispatch dispatch = dispatched.get(assetPath);
        if (dispatch != null) {
            return Optional.of(dispatch.orderOperation());
        }
        return Optional.ofNullable(fromNodes);
    }

    /** What the MES dispatched to the asset and has not completed, if anything. */
    public Optional<Dispatch> dispatched(String assetPath) {
        return Optional.ofNullable(dispatched.get(assetPath));
    }

    /**
     * Records that the MES dispatched an order operation to the asset; returns the dispatch it
     * replaces (empty when none). The same order operation again changes nothing and returns it.
     */
    public synchronized Optional<Dispatch> dispatch(String assetPath, Dispatch dispatch) {
        Dispatch before = dispatched.get(assetPath);
        if (before != null && before.orderOperation().equals(dispatch.orderOperation())) {
            return Optional.of(before);
        }
        var params = new MapSqlParameterSource("assetPath", assetPath)
                .addValue("orderId", dispatch.orderId())
                .addValue("operation", dispatch.operation())
                .addValue("startTime", Timestamp.from(dispatch.startTime()))
                .addValue("dispatchId", dispatch.dispatchId())
                .addValue("now", Timestamp.from(Instant.now()));
        int updated = jdbc.update("""
                UPDATE asset_dispatch SET order_id = :orderId, operation = :operation, start_time = :startTime,
                    dispatch_id = :dispatchId, updated_at = :now WHERE asset_path = :assetPath
                """, params);
        if (updated == 0) {
            jdbc.update("""
                    INSERT INTO asset_dispatch (asset_path, order_id, operation, start_time, dispatch_id, updated_at)
                    VALUES (:assetPath, :orderId, :operation, :startTime, :dispatchId, :now)
                    """, params);
        }
        dispatched.put(assetPath, dispatch);
        return Optional.ofNullable(before);
    }

    /** Ends the dispatch of that order operation on the asset; false when it was not the one dispatched there. */
    public synchronized boolean completeDispatch(String assetPath, OrderOperation completed) {
        Dispatch before = dispatched.get(assetPath);
        if (before == null || !before.orderOperation().equals(completed)) {
            return false;
        }
        jdbc.update("DELETE FROM asset_dispatch WHERE asset_path = :assetPath", new MapSqlParameterSource("assetPath", assetPath));
        dispatched.remove(assetPath);
        return true;
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
