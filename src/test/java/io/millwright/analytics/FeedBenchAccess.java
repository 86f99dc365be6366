package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.KafkaRecordBatches;
import io.millwright.ops.TelemetryPressure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * The analytics feed's package-private stages for the feed benchmark
 * ({@code io.millwright.bench.analytics.AnalyticsFeedBenchmark}): one poll's records parsed as the
 * feed parses them, then handed to the lake, the rollups and anomaly detection as their routes do,
 * each stage callable alone so that its thread CPU time can be measured. Settings as shipped
 * (roll size 64 MB, anomaly detection on vibration and temperature).
 */
public final class FeedBenchAccess implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final ParquetLake lake;
    private final LakeRoute lakeRoute;
    private final RollupAggregator aggregator;
    private final RollupRoute rollupRoute;
    private final AnomalyRoute anomalyRoute;
    private AnalyticsPoll poll;
    private long anomalyEvents;
    private long refused;

    public FeedBenchAccess(Path lakeRoot) {
        this(lakeRoot, true);
    }

    /**
     * @param stageSignals plain signals staged as NDJSON and converted by DuckDB at the roll (as shipped), or, when
     *     false, appended row by row through DuckDB's appender (as before)
     */
    public FeedBenchAccess(Path lakeRoot, boolean stageSignals) {
        Path root = lakeRoot.toAbsolutePath().normalize();
        lake = new ParquetLake(root, new LocalLakeStore(root), DataSize.ofMegabytes(64).toBytes(), Duration.ofMinutes(5), Clock.systemUTC(),
                stageSignals);
        lakeRoute = new LakeRoute(lake, null, json, TelemetryPressure.none()); // settings only matter to configure(), not called here
        aggregator = new RollupAggregator(null); // never flushed: the buckets stay in memory
        rollupRoute = new RollupRoute(aggregator, null, json, TelemetryPressure.none());
        AnalyticsProperties.Anomaly anomaly = new AnalyticsProperties.Anomaly(true, List.of("vibration", "temperature"), 0.05, 4.0, 10,
                0.05, 0.1, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10));
        anomalyRoute = new AnomalyRoute(new AnomalyDetector(anomaly.detectorSettings()), anomaly, json);
    }

    /** Parses one poll's records as the feed does. */
    public void parse(List<KafkaRecordBatches.Record> records) {
        poll = AnalyticsPoll.parse(records, json);
    }

    public void lake() {
        refused += lakeRoute.appendPoll(poll).size();
    }

    public void rollups() {
        rollupRoute.add(poll);
    }

    public void anomaly() {
        anomalyEvents += anomalyRoute.observe(poll).size();
    }

    /**
     * Parses one poll's records into JSON trees only, as the feed did before signals were read flat
     * ({@link SignalEvent}): every step then takes its tree path. For a before/after in one run.
     */
    public void parseAsTrees(List<KafkaRecordBatches.Record> records) throws java.io.IOException {
        List<AnalyticsPoll.Event> events = new java.util.ArrayList<>(records.size());
        for (KafkaRecordBatches.Record record : records) {
            events.add(new AnalyticsPoll.Event(null, json.readTree(record.value()), record.value().length, record.value(),
                    record.timestamp(), json));
        }
        poll = new AnalyticsPoll(events, List.of());
    }

    /** Rolls what the lake still buffers into Parquet (what the roll timer or shutdown does). */
    public void flushLake() {
        lake.flush();
    }

    public long lakeRows() {
        return lake.writtenEvents();
    }

    public long refused() {
        return refused;
    }

    public long rolledSamples() {
        return aggregator.rolledSamples();
    }

    public int openBuckets() {
        return aggregator.openBuckets();
    }

    public long anomalyEvents() {
        return anomalyEvents;
    }

    @Override
    public void close() {
        lake.close();
    }
}
