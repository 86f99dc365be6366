package io.millwright.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * The lake's package-private parts for the analytics benchmark ({@code io.millwright.bench.analytics}):
 * the writer as {@link LakeRoute} drives it, and the query as {@code POST /api/analytics/query} runs it.
 */
public final class LakeBenchAccess {

    private LakeBenchAccess() {}

    /** Appends each signal event's JSON as the lake route does (parse, append) and flushes; returns the nanoseconds taken. */
    public static long writeSignals(Path root, List<byte[]> events) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long started = System.nanoTime();
        try (ParquetLake lake = new ParquetLake(root, DataSize.ofMegabytes(64).toBytes(), Duration.ofMinutes(5), Clock.systemUTC())) {
            for (byte[] event : events) {
                lake.append("signal", json.readTree(event), event.length);
            }
        }
        return System.nanoTime() - started;
    }

    /** One query through the hub's lake query (views, read-only check, limits), its first row. */
    public static List<Object> query(Path root, String sql) {
        LakeQuery query = new LakeQuery(root, new AnalyticsProperties.Query(Duration.ofSeconds(60), 1000, DataSize.ofMegabytes(256)));
        try {
            return query.query(sql, 10).rows().get(0);
        } finally {
            query.destroy();
        }
    }
}
