package io.millwright.principles;

import io.millwright.model.Outcome;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * "Align with business outcomes": KPIs per outcome and hour, read from what the hub already keeps in
 * its database (the production count ledger, the ERP outbox, the dead-letter store, the alert state)
 * and from the data gaps {@link OutcomeDataGaps} keeps:
 * <ul>
 *   <li>throughput: good parts per hour;</li>
 *   <li>quality: scrap rate (scrap / (good + scrap)) per hour;</li>
 *   <li>cost: scrapped parts and dead-lettered messages (each needs a person) per hour;</li>
 *   <li>safety: alerts raised, and critical ones, per hour;</li>
 *   <li>predictability: confirmation latency (from the last count a confirmation carries to SAP's
 *       acceptance; mean and max per hour of acceptance), data gaps and gap seconds per hour of the gap's start.</li>
 * </ul>
 * Reads are by the tables' time columns over the window asked for; nothing is computed per message.
 */
class OutcomeKpis {

    /** The longest window one answer covers. */
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    /** One KPI: its value per hour (hours without data are absent), and over the window. */
    record Kpi(String name, String unit, String description, Double overall, List<Point> points) {}

    /** One hour's value; {@code hour} is the hour's start (UTC). */
    record Point(Instant hour, double value) {}

    private final NamedParameterJdbcTemplate jdbc;

    OutcomeKpis(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The KPIs of every outcome over [from, to). */
    Map<Outcome, List<Kpi>> kpis(Instant from, Instant to) {
        MapSqlParameterSource window = new MapSqlParameterSource("from", Timestamp.from(from)).addValue("to", Timestamp.from(to));
        Map<Instant, double[]> counts = new TreeMap<>(); // hour -> {good, scrap}
        jdbc.query("""
                SELECT counter, delta, observed_at FROM production_count_ledger
                WHERE observed_at >= :from AND observed_at < :to""", window, row -> {
            double[] c = counts.computeIfAbsent(hour(row.getTimestamp("observed_at")), h -> new double[2]);
            c["SCRAP".equals(row.getString("counter")) ? 1 : 0] += row.getLong("delta");
        });
        Map<Instant, double[]> latency = new TreeMap<>(); // hour -> {sum s, count, max s}
        jdbc.query("""
                SELECT o.updated_at AS accepted, MAX(l.observed_at) AS last_count
                FROM confirmation_outbox o JOIN production_count_ledger l ON l.confirmation_key = o.idempotency_key
                WHERE o.status = 'POSTED' AND o.updated_at >= :from AND o.updated_at < :to
                GROUP BY o.idempotency_key, o.updated_at""", window, row -> {
            Timestamp accepted = row.getTimestamp("accepted");
            Timestamp lastCount = row.getTimestamp("last_count");
            double seconds = Math.max(0, Duration.between(lastCount.toInstant(), accepted.toInstant()).toMillis() / 1000.0);
            double[] l = latency.computeIfAbsent(hour(accepted), h -> new double[3]);
            l[0] += seconds;
            l[1]++;
            l[2] = Math.max(l[2], seconds);
        });
        Map<Instant, double[]> deadLetters = perHour("SELECT created_at AS at FROM dead_letter WHERE created_at >= :from AND created_at < :to", window);
        Map<Instant, double[]> alerts = new TreeMap<>(); // hour -> {all, critical}
        jdbc.query("SELECT severity, raised_since FROM alert_state WHERE raised_since >= :from AND raised_since < :to", window, row -> {
            double[] a = alerts.computeIfAbsent(hour(row.getTimestamp("raised_since")), h -> new double[2]);
            a[0]++;
            if ("critical".equalsIgnoreCase(row.getString("severity"))) {
                a[1]++;
            }
        });
        Map<Instant, double[]> gaps = new TreeMap<>(); // hour -> {gaps, seconds}
        jdbc.query("SELECT gap_start, gap_end FROM outcome_data_gap WHERE gap_start >= :from AND gap_start < :to", window, row -> {
            Timestamp start = row.getTimestamp("gap_start");
            double[] g = gaps.computeIfAbsent(hour(start), h -> new double[2]);
            g[0]++;
            g[1] += Math.max(0, Duration.between(start.toInstant(), row.getTimestamp("gap_end").toInstant()).toMillis() / 1000.0);
        });

        Map<Outcome, List<Kpi>> kpis = new LinkedHashMap<>();
        kpis.put(Outcome.THROUGHPUT, List.of(
                kpi("good-parts-per-hour", "parts/h", "good parts counted per hour", counts, c -> c[0], Aggregate.MEAN)));
        kpis.put(Outcome.QUALITY, List.of(
                ratio("scrap-rate", "scrap / (good + scrap) per hour", counts)));
        kpis.put(Outcome.COST, List.of(
                kpi("scrapped-parts", "parts", "parts scrapped per hour", counts, c -> c[1], Aggregate.SUM),
                kpi("dead-letters", "messages", "messages dead-lettered per hour, each waiting for a person", deadLetters, d -> d[0], Aggregate.SUM)));
        kpis.put(Outcome.SAFETY, List.of(
                kpi("alerts-raised", "alerts", "alerts raised per hour", alerts, a -> a[0], Aggregate.SUM),
                kpi("critical-alerts-raised", "alerts", "critical alerts raised per hour", alerts, a -> a[1], Aggregate.SUM)));
        kpis.put(Outcome.PREDICTABILITY, List.of(
                latencyMean(latency),
                kpi("confirmation-latency-max", "s", "longest time from a confirmation's last count to SAP's acceptance, per hour", latency, l -> l[2], Aggregate.MAX),
                kpi("data-gaps", "gaps", "data gaps that started per hour", gaps, g -> g[0], Aggregate.SUM),
                kpi("data-gap-seconds", "s", "seconds without data of the gaps that started per hour", gaps, g -> g[1], Aggregate.SUM)));
        return kpis;
    }

    private enum Aggregate { SUM, MEAN, MAX }

    private static Kpi kpi(String name, String unit, String description, Map<Instant, double[]> hours,
            ToDoubleFunction<double[]> value, Aggregate aggregate) {
        List<Point> points = new ArrayList<>();
        double sum = 0;
        double max = 0;
        for (Map.Entry<Instant, double[]> hour : hours.entrySet()) {
            double v = value.applyAsDouble(hour.getValue());
            points.add(new Point(hour.getKey(), v));
            sum += v;
            max = Math.max(max, v);
        }
        Double overall = switch (aggregate) {
            case SUM -> sum;
            case MEAN -> points.isEmpty() ? null : sum / points.size();
            case MAX -> points.isEmpty() ? null : max;
        };
        return new Kpi(name, unit, description, overall, points);
    }

    private static Kpi ratio(String name, String description, Map<Instant, double[]> counts) {
        List<Point> points = new ArrayList<>();
        double good = 0;
        double scrap = 0;
        for (Map.Entry<Instant, double[]> hour : counts.entrySet()) {
            double total = hour.getValue()[0] + hour.getValue()[1];
            if (total > 0) {
                points.add(new Point(hour.getKey(), hour.getValue()[1] / total));
            }
            good += hour.getValue()[0];
            scrap += hour.getValue()[1];
        }
        return new Kpi(name, "ratio", description, good + scrap == 0 ? null : scrap / (good + scrap), points);
    }

    private static Kpi latencyMean(Map<Instant, double[]> latency) {
        List<Point> points = new ArrayList<>();
        double sum = 0;
        double count = 0;
        for (Map.Entry<Instant, double[]> hour : latency.entrySet()) {
            points.add(new Point(hour.getKey(), hour.getValue()[0] / hour.getValue()[1]));
            sum += hour.getValue()[0];
            count += hour.getValue()[1];
        }
        return new Kpi("confirmation-latency-mean", "s",
                "mean time from a confirmation's last count to SAP's acceptance, per hour of acceptance",
                count == 0 ? null : sum / count, points);
    }

    private Map<Instant, double[]> perHour(String sql, MapSqlParameterSource window) {
        Map<Instant, double[]> hours = new TreeMap<>();
        jdbc.query(sql, window, row -> {
            hours.computeIfAbsent(hour(row.getTimestamp("at")), h -> new double[1])[0]++;
        });
        return hours;
    }

    private static Instant hour(Timestamp at) {
        return at.toInstant().truncatedTo(ChronoUnit.HOURS);
    }
}
