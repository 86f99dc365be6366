package io.millwright.production;

import io.millwright.model.InvalidEventException;
import io.millwright.model.ProductionCount;
import io.millwright.production.CounterBooking.Discontinuity;
import io.millwright.production.CounterBooking.Outcome;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns readings of cumulative counters into increments, attributed to the order operation that
 * runs on the asset, and books them in the ledger (table {@code production_count_ledger}) for the
 * ERP's confirmation window. The last booked value of each counter is kept in the same
 * transaction (table {@code counter_state}), so a restart neither loses nor repeats a count: what
 * was produced while the hub was down is the difference at the first reading after the restart.
 *
 * <p>A batch of readings is booked in one transaction, in order per counter ({@link #book}); the
 * counter states are also held in memory, so a batch costs one round of batched statements, not a
 * query per reading. Several hub instances on one database book in turn (the one leading the OPC UA
 * connection): each state is updated only from the value this instance booked last, and when
 * another instance has booked since (a takeover), the batch is rolled back, the states are read
 * again from the database and the batch is booked from them, so a takeover neither counts the
 * leader's parts again nor loses the ones made since.
 *
 * <p>Rules: the first reading of a counter the hub has never seen is its baseline; a reading the
 * source stamped before the last booked one is stale and changes nothing, so resubmitting a parked
 * reading, a late or replayed value or a second connection reading the same node never counts a
 * part twice (issue 8, hole 1); a reading below the last value counts only when its source
 * timestamp is newer: then the counter wrapped over its {@link CounterWidth} (the parts across the
 * wrap are booked, hole 2) or was reset (the new value is what was made since), and either is
 * recorded with both values in table {@code counter_event}; parts counted while no order is known
 * are not booked and the state is not advanced, so the next reading with an order books them.
 *
 * <p>Each increment keeps its reading's {@link CounterReading.Source} (signal and production-count
 * event ids, source, node) and value, which tracking shows as the lineage of the ERP documents built
 * from it.
 */
@Component
public class CounterLedger {

    private static final Logger log = LoggerFactory.getLogger(CounterLedger.class);

    private record Key(String assetPath, String counter) {}

    private record State(long value, Instant observedAt) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Map<Key, State> states = new ConcurrentHashMap<>();

    public CounterLedger(NamedParameterJdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        load();
    }

    private void load() {
        states.clear();
        jdbc.query("SELECT asset_path, counter, last_value, last_observed_at FROM counter_state", rs -> {
            Timestamp observed = rs.getTimestamp("last_observed_at");
            states.put(new Key(rs.getString("asset_path"), rs.getString("counter")),
                    new State(rs.getLong("last_value"), observed == null ? null : observed.toInstant()));
        });
    }

    /**
     * The counter states in the database are not the ones this instance holds: another hub instance
     * booked since (it led the OPC UA connection before this one took over, README "Scale out").
     */
    private static final class StatesChangedElsewhere extends RuntimeException {
        StatesChangedElsewhere(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * Books a batch of readings in one transaction, in their order.
     *
     * @return one booking per reading, in the same order
     * @throws org.springframework.dao.DataAccessException when the database fails; then nothing of the batch is booked
     */
    public synchronized List<CounterBooking> book(List<CounterReading> readings) {
        try {
            return bookAgainst(readings);
        } catch (StatesChangedElsewhere e) {
            // several instances share the database and book in turn: the states held here are
            // stale; the batch was rolled back, so it is booked again from the database's states
            load();
            log.info("Counter states changed by another hub instance, reloaded from the database and booked again"
                    + " states={} readings={} reason={}", states.size(), readings.size(), e.getMessage());
            return bookAgainst(readings);
        }
    }

    private List<CounterBooking> bookAgainst(List<CounterReading> readings) {
        List<CounterBooking> bookings = new ArrayList<>(readings.size());
        Map<Key, State> changed = new HashMap<>();
        List<SqlParameterSource> ledgerRows = new ArrayList<>();
        List<SqlParameterSource> eventRows = new ArrayList<>(0);
        Timestamp now = Timestamp.from(Instant.now());
        for (CounterReading reading : readings) {
            bookings.add(bookOne(reading, changed, ledgerRows, eventRows, now));
        }
        if (!changed.isEmpty()) {
            transaction.executeWithoutResult(status -> {
                write(changed, ledgerRows, now);
                if (!eventRows.isEmpty()) {
                    jdbc.batchUpdate("""
                            INSERT INTO counter_event (asset_path, counter, kind, previous_value, new_value, booked_delta,
                                previous_observed_at, observed_at, recorded_at)
                            VALUES (:assetPath, :counter, :kind, :previous, :now, :delta, :previousObservedAt, :observedAt, :recordedAt)
                            """, eventRows.toArray(SqlParameterSource[]::new));
                }
            });
            states.putAll(changed);
        }
        return bookings;
    }

    /**
     * Books one reading on its own.
     *
     * @return the increment, or empty for a baseline, an unchanged or a stale value
     * @throws MissingOrderContextException when parts were counted but no order operation is known
     * @throws InvalidEventException when the value is not a whole number within the counter's width
     */
    public Optional<ProductionCount> record(CounterReading reading) {
        CounterBooking booking = book(List.of(reading)).get(0);
        if (booking.problem() != null) {
            throw booking.problem();
        }
        return Optional.ofNullable(booking.count());
    }

    private CounterBooking bookOne(CounterReading reading, Map<Key, State> changed, List<SqlParameterSource> ledgerRows,
            List<SqlParameterSource> eventRows, Timestamp now) {
        long total;
        try {
            total = reading.width().position(whole(reading.value()));
        } catch (InvalidEventException e) {
            return new CounterBooking(reading, Outcome.REJECTED, null, e);
        }
        Key key = new Key(reading.assetPath(), reading.counter().name());
        State last = changed.containsKey(key) ? changed.get(key) : states.get(key);
        if (last == null) {
            changed.put(key, new State(total, reading.observedAt()));
            log.info("Counter baseline asset={} counter={} value={}", reading.assetPath(), reading.counter(), total);
            return new CounterBooking(reading, Outcome.BASELINE, null, null);
        }
        if (last.observedAt() != null && reading.observedAt() != null && reading.observedAt().isBefore(last.observedAt())) {
            log.info("Counter reading older than the last one booked, already counted asset={} counter={} value={} observedAt={}",
                    reading.assetPath(), reading.counter(), total, reading.observedAt());
            return new CounterBooking(reading, Outcome.STALE, null, null);
        }
        if (total == last.value()) {
            return new CounterBooking(reading, Outcome.UNCHANGED, null, null);
        }
        long delta = total - last.value();
        Discontinuity discontinuity = null;
        if (delta < 0) {
            // below the last value: a reset or a wrap only if the source stamped it later than the last booked reading
            boolean newer = reading.observedAt() != null
                    && (last.observedAt() == null || reading.observedAt().isAfter(last.observedAt()));
            if (!newer) {
                log.info("Counter reading below the last one and not newer, not a reset asset={} counter={} value={} last={} observedAt={}",
                        reading.assetPath(), reading.counter(), total, last.value(), reading.observedAt());
                return new CounterBooking(reading, Outcome.STALE, null, null);
            }
            long wrapped = reading.width().wrappedDelta(last.value(), total);
            if (wrapped >= 0) {
                delta = wrapped;
                discontinuity = new Discontinuity(Discontinuity.Kind.WRAP, last.value(), total, delta);
            } else {
                delta = total;
                discontinuity = new Discontinuity(Discontinuity.Kind.RESET, last.value(), total, delta);
            }
        }
        if (delta > 0 && !reading.hasOrder()) {
            return new CounterBooking(reading, Outcome.NO_ORDER, null,
                    new MissingOrderContextException(reading.assetPath(), reading.counter(), delta));
        }
        if (discontinuity != null) {
            eventRows.add(eventRow(reading, discontinuity, last, now));
            log.warn("Counter {} asset={} counter={} previous={} now={} booked={}", discontinuity.kind(), reading.assetPath(),
                    reading.counter(), last.value(), total, delta);
        }
        changed.put(key, new State(total, reading.observedAt()));
        if (delta == 0) {
            return new CounterBooking(reading, Outcome.UNCHANGED, null, null, discontinuity);
        }
        ledgerRows.add(new MapSqlParameterSource("assetPath", reading.assetPath())
                .addValue("counter", reading.counter().name())
                .addValue("orderId", reading.orderId())
                .addValue("operation", reading.operation())
                .addValue("delta", delta)
                .addValue("unit", reading.unit())
                .addValue("observedAt", Timestamp.from(reading.observedAt() != null ? reading.observedAt() : now.toInstant()))
                .addValue("sourceEventId", reading.source() == null ? null : reading.source().signalEventId())
                .addValue("countEventId", reading.source() == null ? null : reading.source().countEventId())
                .addValue("source", reading.source() == null ? null : reading.source().source())
                .addValue("sourceNode", reading.source() == null ? null : reading.source().node())
                .addValue("sourceValue", String.valueOf(reading.value())));
        ProductionCount count = new ProductionCount(
                reading.orderId(), reading.operation(), reading.counter(), delta, total, reading.unit());
        return new CounterBooking(reading, Outcome.BOOKED, count, null, discontinuity);
    }

    /**
     * Books an increment an edge hub counted and forwarded ({@link ForwardedCount}) as one ledger
     * row, once per CloudEvents id: the row keeps the id as {@code count_event_id}, which is unique
     * (V39), so the same event arriving again (an edge resending after a link failure, a replay, a
     * resubmitted dead letter) books nothing. This hub's counter state is not touched: the edge
     * turned its readings into the increment. Synchronized with {@link #book} so ledger ids still
     * grow in commit order, which the confirmation window's cut relies on.
     *
     * @return true if booked now, false if the event was booked before
     * @throws org.springframework.dao.DataAccessException when the database fails; nothing is booked then
     */
    public synchronized boolean bookForwarded(ForwardedCount forwarded) {
        ProductionCount count = forwarded.count();
        Timestamp now = Timestamp.from(Instant.now());
        try {
            jdbc.update("""
                    INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at,
                        source_event_id, count_event_id, source, source_value)
                    VALUES (:assetPath, :orderId, :operation, :counter, :delta, :unit, :observedAt,
                        :sourceEventId, :countEventId, :source, :sourceValue)
                    """, new MapSqlParameterSource("assetPath", forwarded.assetPath())
                    .addValue("orderId", count.orderId())
                    .addValue("operation", count.operation())
                    .addValue("counter", count.counter().name())
                    .addValue("delta", count.delta())
                    .addValue("unit", count.unit())
                    .addValue("observedAt", forwarded.observedAt() == null ? now : Timestamp.from(forwarded.observedAt()))
                    .addValue("sourceEventId", forwarded.correlationId())
                    .addValue("countEventId", forwarded.eventId())
                    .addValue("source", forwarded.source())
                    .addValue("sourceValue", String.valueOf(count.total())));
            return true;
        } catch (DuplicateKeyException e) {
            log.info("Forwarded production count booked before, not booked again eventId={} order={} operation={} delta={}",
                    forwarded.eventId(), count.orderId(), count.operation(), count.delta());
            return false;
        }
    }

    /** The counter_event row of a reset or wrap, with the last booked state before it. */
    private static SqlParameterSource eventRow(CounterReading reading, Discontinuity d, State before, Timestamp now) {
        return new MapSqlParameterSource("assetPath", reading.assetPath())
                .addValue("counter", reading.counter().name())
                .addValue("kind", d.kind().name())
                .addValue("previous", d.previousValue())
                .addValue("now", d.newValue())
                .addValue("delta", d.bookedDelta())
                .addValue("previousObservedAt", before == null || before.observedAt() == null ? null : Timestamp.from(before.observedAt()))
                .addValue("observedAt", reading.observedAt() == null ? null : Timestamp.from(reading.observedAt()))
                .addValue("recordedAt", now);
    }

    private void write(Map<Key, State> changed, List<SqlParameterSource> ledgerRows, Timestamp now) {
        List<SqlParameterSource> inserts = new ArrayList<>();
        List<SqlParameterSource> updates = new ArrayList<>();
        changed.forEach((key, state) -> {
            State before = states.get(key);
            var row = new MapSqlParameterSource("assetPath", key.assetPath())
                    .addValue("counter", key.counter())
                    .addValue("total", state.value())
                    .addValue("observedAt", state.observedAt() == null ? null : Timestamp.from(state.observedAt()))
                    .addValue("now", now)
                    .addValue("previous", before == null ? null : before.value());
            (before != null ? updates : inserts).add(row);
        });
        if (!inserts.isEmpty()) {
            try {
                jdbc.batchUpdate("""
                        INSERT INTO counter_state (asset_path, counter, last_value, last_observed_at, updated_at)
                        VALUES (:assetPath, :counter, :total, :observedAt, :now)
                        """, inserts.toArray(SqlParameterSource[]::new));
            } catch (DuplicateKeyException e) {
                throw new StatesChangedElsewhere("a counter this instance has no state for has one in the database");
            }
        }
        if (!updates.isEmpty()) {
            // only from the value this instance booked last: 0 rows = another instance booked since
            int[] rows = jdbc.batchUpdate("""
                    UPDATE counter_state SET last_value = :total, last_observed_at = :observedAt, updated_at = :now
                    WHERE asset_path = :assetPath AND counter = :counter AND last_value = :previous
                    """, updates.toArray(SqlParameterSource[]::new));
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == 0) {
                    throw new StatesChangedElsewhere("counter " + updates.get(i).getValue("assetPath") + " "
                            + updates.get(i).getValue("counter") + " is no longer at " + updates.get(i).getValue("previous"));
                }
            }
        }
        if (!ledgerRows.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO production_count_ledger (asset_path, order_id, operation, counter, delta, unit, observed_at,
                        source_event_id, count_event_id, source, source_node, source_value)
                    VALUES (:assetPath, :orderId, :operation, :counter, :delta, :unit, :observedAt,
                        :sourceEventId, :countEventId, :source, :sourceNode, :sourceValue)
                    """, ledgerRows.toArray(SqlParameterSource[]::new));
        }
    }

    /** The reading as a whole number (negative allowed: a signed counter's wrap); the width checks its range. */
    private static long whole(Object reading) {
        if (reading instanceof Number number && number.doubleValue() == Math.floor(number.doubleValue())
                && !Double.isInfinite(number.doubleValue())) {
            return number.longValue();
        }
        if (reading instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException ignored) {
                // falls through to the error below, which names the value
            }
        }
        throw InvalidEventException.field("value", reading, "a cumulative counter must be a whole number");
    }
}
