package io.millwright.analytics;

import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rollup tables ({@code signal_rollup_1m}, {@code signal_rollup_1h}) in the hub's database.
 * Partial aggregates merge into a bucket's row (min of mins, max of maxes, sums and counts added,
 * the last value by source time), so the aggregator may write a bucket several times and the row
 * stays exact.
 */
public class RollupStore {

    /** One bucket's figures. */
    public record Point(Instant time, double min, double max, double avg, long count, double last) {}

    /** A partial aggregate of one bucket, to be merged into its row. */
    record Partial(RollupStep step, String asset, String tag, Instant bucket,
            double min, double max, double sum, long count, double last, Instant lastTime) {

        /** This bucket's figures and another part of the same bucket's, as the store's merge combines them. */
        Partial plus(Partial other) {
            boolean otherIsLater = lastTime == null || other.lastTime != null && !other.lastTime.isBefore(lastTime);
            return new Partial(step, asset, tag, bucket, Math.min(min, other.min), Math.max(max, other.max),
                    sum + other.sum, count + other.count, otherIsLater ? other.last : last, otherIsLater ? other.lastTime : lastTime);
        }

        Point point() {
            return new Point(bucket, min, max, sum / count, count, last);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public RollupStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Merges partial aggregates, all in one transaction: one batch of updates per table, then one
     * batch of inserts for the buckets no row held yet (thousands of tags flush every few seconds;
     * a statement and a round trip per bucket cost the hub more than the rest of the side route).
     */
    void merge(List<Partial> partials) {
        if (partials.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            for (RollupStep step : RollupStep.values()) {
                List<MapSqlParameterSource> rows = new ArrayList<>();
                for (Partial p : partials) {
                    if (p.step() == step) {
                        rows.add(parameters(p));
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                int[] updated = jdbc.batchUpdate("UPDATE " + step.table() + " SET"
                        + " min_value = LEAST(min_value, :min), max_value = GREATEST(max_value, :max),"
                        + " sum_value = sum_value + :sum, sample_count = sample_count + :count,"
                        + " last_value = CASE WHEN :lastTime >= last_time THEN :last ELSE last_value END,"
                        + " last_time = CASE WHEN :lastTime >= last_time THEN :lastTime ELSE last_time END"
                        + " WHERE asset = :asset AND tag = :tag AND bucket = :bucket", rows.toArray(MapSqlParameterSource[]::new));
                List<MapSqlParameterSource> inserts = new ArrayList<>();
                for (int i = 0; i < updated.length; i++) {
                    // a driver may answer a batch without counts (SUCCESS_NO_INFO): then whether the
                    // update found the bucket is asked; repeating the update would count it twice
                    if (updated[i] == 0 || updated[i] == Statement.SUCCESS_NO_INFO && !exists(step, rows.get(i))) {
                        inserts.add(rows.get(i));
                    }
                }
                if (!inserts.isEmpty()) {
                    jdbc.batchUpdate("INSERT INTO " + step.table()
                            + " (bucket, asset, tag, min_value, max_value, sum_value, sample_count, last_value, last_time)"
                            + " VALUES (:bucket, :asset, :tag, :min, :max, :sum, :count, :last, :lastTime)",
                            inserts.toArray(MapSqlParameterSource[]::new));
                }
            }
        });
    }

    private boolean exists(RollupStep step, MapSqlParameterSource row) {
        Integer found = jdbc.queryForObject("SELECT COUNT(*) FROM " + step.table()
                + " WHERE asset = :asset AND tag = :tag AND bucket = :bucket", row, Integer.class);
        return found != null && found > 0;
    }

    private static MapSqlParameterSource parameters(Partial p) {
        return new MapSqlParameterSource()
                .addValue("bucket", Timestamp.from(p.bucket()))
                .addValue("asset", p.asset())
                .addValue("tag", p.tag())
                .addValue("min", p.min())
                .addValue("max", p.max())
                .addValue("sum", p.sum())
                .addValue("count", p.count())
                .addValue("last", p.last())
                .addValue("lastTime", Timestamp.from(p.lastTime()));
    }

    /** The buckets of one asset's tag that start in [from, to), oldest first. */
    public List<Point> points(RollupStep step, String asset, String tag, Instant from, Instant to) {
        return partials(step, asset, tag, from, to).stream().map(Partial::point).toList();
    }

    /** The stored buckets of one asset's tag that start in [from, to), oldest first, as partial aggregates. */
    List<Partial> partials(RollupStep step, String asset, String tag, Instant from, Instant to) {
        return jdbc.query("SELECT bucket, min_value, max_value, sum_value, sample_count, last_value, last_time FROM " + step.table()
                        + " WHERE asset = :asset AND tag = :tag AND bucket >= :from AND bucket < :to ORDER BY bucket",
                new MapSqlParameterSource("asset", asset).addValue("tag", tag)
                        .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)),
                (rs, n) -> new Partial(step, asset, tag, rs.getTimestamp("bucket").toInstant(), rs.getDouble("min_value"),
                        rs.getDouble("max_value"), rs.getDouble("sum_value"), rs.getLong("sample_count"), rs.getDouble("last_value"),
                        rs.getTimestamp("last_time").toInstant()));
    }
}
