package io.millwright.analytics;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the analytics side routes, {@code millwright.analytics.*}.
 *
 * @param lake the Parquet data lake under {@code <data-dir>/lake/}
 * @param query SQL over the lake ({@code POST /api/analytics/query})
 * @param rollups per-tag rollups at 1 minute and 1 hour in the hub's database ({@code GET /api/timeseries})
 * @param oee OEE per machine, line and shift ({@code GET /api/kpi/oee})
 * @param anomaly anomaly detection on measurements and maintenance requests ({@link AnomalyDetector})
 * @param kpi the {@code kpi} event at each shift end ({@link ShiftKpiPublisher})
 * @param ask the question endpoint {@code GET /api/ask} ({@link AskGrammar})
 * @param consumerGroup the Kafka consumer group of the analytics feed, the one reader of the canonical
 *     topics for the lake, the rollups and anomaly detection ({@link AnalyticsFeedRoute})
 * @param kafkaBootstrapServers the Kafka cluster the feed reads (the hub's event cluster)
 */
@Validated
@ConfigurationProperties("millwright.analytics")
public record AnalyticsProperties(
        @Valid @NotNull @DefaultValue Lake lake,
        @Valid @NotNull @DefaultValue Query query,
        @Valid @NotNull @DefaultValue Rollups rollups,
        @Valid @NotNull @DefaultValue Oee oee,
        @Valid @NotNull @DefaultValue Anomaly anomaly,
        @Valid @NotNull @DefaultValue Kpi kpi,
        @Valid @NotNull @DefaultValue Ask ask,
        @DefaultValue("millwright-analytics") @NotBlank String consumerGroup,
        @DefaultValue("127.0.0.1:9092") @NotBlank String kafkaBootstrapServers) {

    /**
     * @param enabled publish a {@code kpi} event per asset at each shift end of {@code oee.shifts}
     * @param assets the machines, lines or sites (asset paths or prefixes) to publish for; empty = none
     * @param delay wait this long after the shift end, so the lake's files hold the shift's last events
     *     (longer than {@code lake.roll-interval})
     * @param checkInterval how often shift ends are looked for
     * @param catchUp at start-up, the shifts that ended while the hub was down are published back to
     *     this long ago (older ones are skipped and logged)
     */
    public record Kpi(
            @DefaultValue("true") boolean enabled,
            @DefaultValue List<String> assets,
            @DefaultValue("6m") @NotNull Duration delay,
            @DefaultValue("30s") @NotNull Duration checkInterval,
            @DefaultValue("3d") @NotNull Duration catchUp) {

        public Kpi {
            assets = assets == null ? List.of() : List.copyOf(assets);
            if (catchUp != null && (catchUp.isNegative() || catchUp.compareTo(Duration.ofDays(31)) > 0)) {
                throw new IllegalArgumentException("millwright.analytics.kpi.catch-up must be between 0s and 31d, was " + catchUp);
            }
        }
    }

    /**
     * @param linePrefix "line N" in a question is the asset path {@code <line-prefix>N}
     */
    public record Ask(@DefaultValue("acme/springfield/assembly/line-") @NotBlank String linePrefix) {}

    /**
     * @param enabled run the detector (false: no anomaly or maintenance-request events)
     * @param tags the registry names of the measurements watched
     * @param alpha EWMA weight of a normal sample
     * @param threshold z-score from which a sample is anomalous
     * @param warmup samples that learn a new baseline (per machine, tag and machine state)
     * @param minStd floor of the spread, in the tag's unit
     * @param maxRelStd ceiling of the spread as a fraction of the baseline's level
     * @param settle after a machine-state change, samples this long are neither scored nor learned
     * @param holdFor anomalous this long without a break opens a maintenance request
     * @param clearAfter normal this long (in the state the request was opened in) clears it
     * @param anomalyEvery while a streak lasts, at most one anomaly event per tag this often
     */
    public record Anomaly(
            @DefaultValue("true") boolean enabled,
            @DefaultValue({"vibration", "temperature"}) @NotNull List<String> tags,
            @DefaultValue("0.05") double alpha,
            @DefaultValue("4.0") double threshold,
            @DefaultValue("10") @Min(2) int warmup,
            @DefaultValue("0.05") double minStd,
            @DefaultValue("0.1") double maxRelStd,
            @DefaultValue("5s") @NotNull Duration settle,
            @DefaultValue("2s") @NotNull Duration holdFor,
            @DefaultValue("10s") @NotNull Duration clearAfter,
            @DefaultValue("10s") @NotNull Duration anomalyEvery) {

        AnomalyDetector.Settings detectorSettings() {
            try {
                return new AnomalyDetector.Settings(alpha, threshold, warmup, minStd, maxRelStd, settle, holdFor, clearAfter);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("millwright.analytics.anomaly: " + e.getMessage(), e);
            }
        }
    }

    /**
     * @param zone the plant's time zone, in which the shifts are given
     * @param shifts the shift calendar; empty = every hour of the window is planned
     * @param idealCycleTimes file under {@code mappings-dir} with the ideal seconds per part per order, asset and default
     */
    public record Oee(
            @DefaultValue("UTC") @NotBlank String zone,
            @DefaultValue List<@Valid Shift> shifts,
            @DefaultValue("ideal-cycle-times.yaml") @NotBlank String idealCycleTimes) {

        public Oee {
            try {
                java.time.ZoneId.of(zone);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("millwright.analytics.oee.zone '" + zone + "' is not a time zone (e.g. Europe/Berlin, UTC)");
            }
            shifts = shifts == null ? List.of() : List.copyOf(shifts);
        }
    }

    /**
     * A daily shift: {@code start} and {@code end} as HH:mm in the plant's zone; ending before it
     * starts, it crosses midnight (22:00 to 06:00).
     */
    public record Shift(@NotBlank String name, @NotBlank String start, @NotBlank String end) {

        public Shift {
            for (String[] field : new String[][] {{"start", start}, {"end", end}}) {
                try {
                    java.time.LocalTime.parse(field[1]);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("millwright.analytics.oee.shifts '" + name + "' " + field[0] + " '" + field[1]
                            + "' is not a time of day HH:mm");
                }
            }
            if (start.equals(end)) {
                throw new IllegalArgumentException("millwright.analytics.oee.shifts '" + name + "' starts and ends at " + start);
            }
        }
    }

    /**
     * @param enabled roll signals up (false: no rollup consumer runs; the API answers from what is stored)
     * @param flushInterval how often the buckets held in memory are merged into the database ({@code GET
     *     /api/timeseries} reads the held ones too, so this is not how fresh its answers are)
     * @param maxPoints most buckets one {@code GET /api/timeseries} answers (a longer range is refused)
     */
    public record Rollups(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") @NotNull Duration flushInterval,
            @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxPoints) {

        public Rollups {
            if (flushInterval != null && (flushInterval.compareTo(Duration.ofMillis(100)) < 0 || flushInterval.compareTo(Duration.ofMinutes(10)) > 0)) {
                throw new IllegalArgumentException("millwright.analytics.rollups.flush-interval must be between 100ms and 10m, was " + flushInterval);
            }
        }
    }

    /**
     * @param enabled write the canonical events to the lake (false: no lake consumer runs)
     * @param rollSize a partition's file is written when its buffered events reach this many bytes of JSON
     * @param rollInterval ... or when its oldest buffered event is this old
     * @param rollCheck how often the time-based roll is checked
     * @param s3 an S3-compatible bucket the lake's files go to (blank bucket: the lake stays under
     *     {@code <data-dir>/lake/} only)
     */
    public record Lake(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("64MB") @NotNull DataSize rollSize,
            @DefaultValue("5m") @NotNull Duration rollInterval,
            @DefaultValue("5s") @NotNull Duration rollCheck,
            @Valid @NotNull @DefaultValue S3 s3) {

        public Lake {
            if (rollSize != null && (rollSize.toBytes() < 1024 || rollSize.toBytes() > DataSize.ofGigabytes(1).toBytes())) {
                throw new IllegalArgumentException("millwright.analytics.lake.roll-size must be between 1KB and 1GB, was " + rollSize);
            }
            if (rollInterval != null && (rollInterval.compareTo(Duration.ofSeconds(1)) < 0 || rollInterval.compareTo(Duration.ofDays(1)) > 0)) {
                throw new IllegalArgumentException("millwright.analytics.lake.roll-interval must be between 1s and 1d, was " + rollInterval);
            }
            if (rollCheck != null && (rollCheck.compareTo(Duration.ofMillis(100)) < 0 || rollCheck.compareTo(Duration.ofMinutes(10)) > 0)) {
                throw new IllegalArgumentException("millwright.analytics.lake.roll-check must be between 100ms and 10m, was " + rollCheck);
            }
        }
    }

    /**
     * The lake in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...): each Parquet file, once written,
     * is uploaded to {@code s3://<bucket>/<prefix>/type=<type>/date=YYYY-MM-DD/<file>} by {@link S3LakeStore}.
     * The access key and secret are read from the environment variables named here, never from a file.
     *
     * @param bucket the bucket's name; blank = no S3 lake
     * @param endpoint the S3 service's URL for an S3-compatible server (e.g. {@code http://minio:9000});
     *     blank = AWS S3 of {@code region}
     * @param region the signing region
     * @param prefix the key prefix under which the lake's partitions go (no leading or trailing slash needed)
     * @param pathStyle address the bucket as {@code <endpoint>/<bucket>/<key>} (most S3-compatible servers)
     *     instead of {@code <bucket>.<endpoint>/<key>}
     * @param localCopy keep each file under {@code <data-dir>/lake/} too, so {@code POST /api/analytics/query},
     *     OEE and the KPI events keep working (the embedded DuckDB cannot read S3 here: its httpfs extension is
     *     downloaded at run time); false = the bucket only, and those answer 409 with the reason
     * @param accessKeyEnv the environment variable holding the access key id
     * @param secretKeyEnv the environment variable holding the secret access key
     */
    public record S3(
            @DefaultValue("") String bucket,
            @DefaultValue("") String endpoint,
            @DefaultValue("us-east-1") @NotBlank String region,
            @DefaultValue("") String prefix,
            @DefaultValue("false") boolean pathStyle,
            @DefaultValue("true") boolean localCopy,
            @DefaultValue("MILLWRIGHT_LAKE_S3_ACCESS_KEY") @NotBlank String accessKeyEnv,
            @DefaultValue("MILLWRIGHT_LAKE_S3_SECRET_KEY") @NotBlank String secretKeyEnv) {

        private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

        public S3 {
            bucket = bucket == null ? "" : bucket.strip();
            endpoint = endpoint == null ? "" : endpoint.strip();
            prefix = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
            if (!bucket.isEmpty() && !BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException("millwright.analytics.lake.s3.bucket '" + bucket + "' is not an S3 bucket name"
                        + " (3 to 63 lowercase letters, digits, dots and hyphens; no s3:// and no path: put the path in"
                        + " millwright.analytics.lake.s3.prefix)");
            }
            if (!endpoint.isEmpty() && !endpoint.matches("https?://[^/\\s]+/?")) {
                throw new IllegalArgumentException("millwright.analytics.lake.s3.endpoint '" + endpoint
                        + "' must be the service's http:// or https:// URL with no path, e.g. http://127.0.0.1:9000");
            }
        }

        /** True when a bucket is set. */
        public boolean isEnabled() {
            return !bucket.isEmpty();
        }

        /** {@code s3://bucket/prefix}, for logs and health. */
        public String location() {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    /**
     * @param timeout a query running longer is cancelled
     * @param maxRows most rows a query returns (the answer says when it was cut)
     * @param memoryLimit DuckDB's memory limit for one query
     */
    public record Query(
            @DefaultValue("30s") @NotNull Duration timeout,
            @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxRows,
            @DefaultValue("256MB") @NotNull DataSize memoryLimit) {

        public Query {
            if (timeout != null && (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0)) {
                throw new IllegalArgumentException("millwright.analytics.query.timeout must be between 100ms and 10m, was " + timeout);
            }
        }
    }
}
