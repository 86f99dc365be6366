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
 * <p>Precedence: a complete order operation read from the asset's own order and operation nodes
 * comes first; else the order operation the MES dispatched to the asset ({@link #dispatch}, table
 * {@code asset_dispatch}); else, per part, what the nodes gave so far or the asset's fixed context
 * in {@code mappings/assets.yaml} ({@link FixedContext}). docs/opcua-adapter.md, "Order context",
 * is the one place that says so for users.
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

    /** An order operation the MES dispatched to a work unit. */
    public record Dispatch(String orderId, String operation, Instant startTime, String dispatchId) {

        public OrderOperation orderOperation() {
            return new OrderOperation(orderId, operation);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final AssetRegistry registry;
    private final Map<String, OrderOperation> byAsset = new ConcurrentHashMap<>();
    private final Map<String, Dispatch> dispatched = new ConcurrentHashMap<>();

    public OrderContext(NamedParameterJdbcTemplate jdbc, AssetRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
        jdbc.query("SELECT asset_path, order_id, operation FROM asset_order_context", rs -> {
            byAsset.put(rs.getString("asset_path"), new OrderOperation(rs.getString("order_id"), rs.getString("operation")));
        });
        jdbc.query("SELECT asset_path, order_id, operation, start_time, dispatch_id FROM asset_dispatch", rs -> {
            dispatched.put(rs.getString("asset_path"), new Dispatch(rs.getString("order_id"), rs.getString("operation"),
                    rs.getTimestamp("start_time").toInstant(), rs.getString("dispatch_id")));
        });
    }

    /**
     * The order operation running on the asset, by precedence: complete node values, then MES
     * dispatch, then per part the node value or the asset's fixed context.
     */
    public Optional<OrderOperation> current(String assetPath) {
        OrderOperation fromNodes = byAsset.get(assetPath);
        if (fromNodes != null && fromNodes.isComplete()) {
            return Optional.of(fromNodes);
        }
        Dispatch dispatch = dispatched.get(assetPath);
        if (dispatch != null) {
            return Optional.of(dispatch.orderOperation());
        }
        FixedContext fixed = registry.fixedContext(assetPath);
        if (fixed == FixedContext.NONE) {
            return Optional.ofNullable(fromNodes);
        }
        if (fromNodes == null) {
            return Optional.of(new OrderOperation(fixed.order(), fixed.operation()));
        }
        return Optional.of(new OrderOperation(
                isBlank(fromNodes.orderId()) ? fixed.order() : fromNodes.orderId(),
                isBlank(fromNodes.operation()) ? fixed.operation() : fromNodes.operation()));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
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
