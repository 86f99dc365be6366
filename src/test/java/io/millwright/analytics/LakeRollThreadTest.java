package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.SideRouteThreads;
import io.millwright.ops.TelemetryPressure;
import io.millwright.testsupport.HubTestProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Telemetry first for the lake's rolls: a Parquet file is written on a side route's thread at the
 * side routes' lower Linux priority ({@code millwright.side-routes.nice}), whether the roll timer
 * or a full partition on the feed's thread started it, so a roll never takes the CPU from the
 * telemetry path's threads (docs/benchmarks.md: the roll timer ran at normal priority).
 */
class LakeRollThreadTest {

    private static final int SIDE_ROUTE_NICE = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private CamelContext camel;

    /** A lake store that notes the nice value of each thread that hands it a finished file. */
    private record NiceRecordingStore(LocalLakeStore local, List<OptionalInt> nices, AtomicReference<String> thread) implements LakeStore {
        @Override
        public void publish(Path written, Path localTarget, String key) throws IOException {
            nices.add(SideRouteThreads.currentNice());
            thread.set(Thread.currentThread().getName());
            local.publish(written, localTarget, key);
        }

        @Override
        public String location() {
            return local.location();
        }
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void theRollTimerWritesParquetAtTheSideRoutesNiceValue() throws Exception {
        assumeTrue(SideRouteThreads.currentNice().isPresent(), "Linux only: needs /proc/thread-self");
        OptionalInt callers = SideRouteThreads.currentNice();
        Path root = Path.of(HubTestProperties.newDataDir("lake-roll-nice"), "lake");
        List<OptionalInt> nices = new CopyOnWriteArrayList<>();
        AtomicReference<String> thread = new AtomicReference<>();
        // rolled by time: every partition is due at the first check
        ParquetLake lake = new ParquetLake(root, new NiceRecordingStore(new LocalLakeStore(root), nices, thread),
                DataSize.ofMegabytes(64).toBytes(), Duration.ZERO, Clock.systemUTC());
        AnalyticsProperties.Lake settings = new AnalyticsProperties.Lake(true, DataSize.ofMegabytes(64), Duration.ofSeconds(1),
                Duration.ofMillis(100), new AnalyticsProperties.S3("", "", "us-east-1", "", false, true, "A", "B"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new LakeRoute(lake, settings, JSON, new TelemetryPressure(0.5, Duration.ofMillis(100), SIDE_ROUTE_NICE)));
        camel.start();

        byte[] signal = ("{\"id\":\"s-1\",\"type\":\"io.millwright.signal.v1\",\"time\":\"2026-11-30T10:00:00Z\","
                + "\"data\":{\"tag\":\"ns=3;s=M1.Temperature\",\"value\":61.5,\"quality\":\"GOOD\"}}").getBytes();
        lake.append("signal", JSON.readTree(signal), signal.length);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nices).isNotEmpty());
        assertThat(thread.get()).as("written by the roll timer's thread").contains("analytics-lake-roll");
        assertThat(nices.get(0)).hasValue(SIDE_ROUTE_NICE);
        assertThat(SideRouteThreads.currentNice()).as("the caller's thread keeps its priority").isEqualTo(callers);
        lake.close();
    }
}
