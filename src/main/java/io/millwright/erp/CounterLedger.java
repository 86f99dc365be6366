package io.millwright.erp;

import io.millwright.model.CounterKind;
import io.millwright.model.InvalidEventException;
import io.millwright.model.ProductionCount;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns readings of cumulative counters into increments, attributed to the order operation that
 * runs on the asset, and books them in the ledger (table {@code production_count_ledger}). The
 * last value of each counter is kept in the same transaction (table {@code counter_state}), so a
 * restart neither loses nor repeats a count: what was produced while the hub was down is the
 * difference at the first reading after the restart.
 *
 * <p>The first reading of a counter the hub has never seen is its baseline: nothing is booked for
 * parts produced before the hub watched the machine. A reading below the last value means the
 * counter was reset (or wrapped); the new value is then the increment since the reset.
 */
@Component
public class CounterLedger {

    private static final Logger log = LoggerFactory.getLogger(CounterLedger.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public CounterLedger(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /**
     * Books a counter reading.
     *
     * @return the increment as a {@link ProductionCount}, or empty for a baseline or an unchanged value
     * @throws MissingOrderContextException when parts were counted but no order operation is known
     *     for the asset; nothing is booked, so the increment is counted with the next reading
     */
    public synchronized Optional<ProductionCount> record(
            String assetPath, CounterKind counter, Object reading, String unit, String orderId, String operation, Instant observedAt) {
        long total = total(reading);
        return transaction.execute(status -> {
            var key = new MapSqlParameterSource("assetPath", assetPath).addValue("counter", counter.name());
            List<Long> last = jdbc.queryForList("""
                    SELECT last_value FROM counter_state WHERE asset_path = :assetPath AND counter = :counter FOR UPDATE
                    """, key, Long.class);
            var now = Timestamp.from(Instant.now());
            if (last.isEmpty()) {
                jdbc.update("""
                        INSERT INTO counter_state (asset_path, counter, last_value, updated_at)
                        VALUES (:assetPath, :counter, :total, :now)
                        """, key.addValue("total", total).addValue("now", now));
                log.info("Counter baseline asset={} counter={} value={}", assetPath, counter, total);
                return Optional.<ProductionCount>empty();
            }
            long previous = last.get(0);
            if (total == previous) {
                return Optional.<ProductionCount>empty();
            }
            long delta = total - previous;
            if (delta < 0) {
                log.warn("Counter went backwards, taken as a reset asset={} counter={} previous={} now={}",
                        assetPath, counter, previous, total);
                delta = total;
            }
            if (delta > 0 && (orderId == null || orderId.isBlank() || operation == null || operation.isBlank())) {
                throw new MissingOrderContextException(assetPath, counter, delta);
            }
            jdbc.update("""
                    UPDATE counter_state SET last_value = :total, updated_at = :now
                    WHERE asset_path = :assetPath AND counter = :counter
                    """, key.addValue("total", total).addValue("now", now));
            if (delta > 0) {
                jdbc.update("""
                        INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at)
                        VALUES (:assetPath, :orderId, :operation, :counter, :delta, :unit, :observedAt)
                        """, key.addValue("orderId", orderId).addValue("operation", operation)
                        .addValue("delta", delta).addValue("unit", unit)
                        .addValue("observedAt", Timestamp.from(observedAt)));
            }
            return Optional.of(new ProductionCount(orderId, operation, counter, delta, total, unit));
        });
    }

    private static long total(Object reading) {
        if (reading instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() == Math.floor(number.doubleValue())) {
            return number.longValue();
        }
        if (reading instanceof String text) {
            try {
                long value = Long.parseLong(text.trim());
                if (value >= 0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below, which names the value
            }
        }
        throw InvalidEventException.field("value", reading, "a cumulative counter must be a whole number >= 0");
    }
}
