package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.SideRouteThreads;
import io.millwright.ops.TelemetryPressure;
import io.millwright.testsupport.HubTestProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void aFullPartitionIsWrittenByTheLakesWriterWhileTheFeedGoesOn() throws Exception {
        assumeTrue(SideRouteThreads.currentNice().isPresent(), "Linux only: needs /proc/thread-self");
        OptionalInt callers = SideRouteThreads.currentNice();
        Path root = Path.of(HubTestProperties.newDataDir("lake-writer"), "lake");
        BlockingStore store = new BlockingStore(new LocalLakeStore(root));
        int appended;
        try (ParquetLake lake = new ParquetLake(root, store, ROLL_SIZE, Duration.ofMinutes(5), Clock.systemUTC(),
                new TelemetryPressure(0.5, Duration.ofMillis(100), SIDE_ROUTE_NICE))) {
            appended = appendUntilSealed(lake, 1, 0);
            assertThat(store.entered.await(20, TimeUnit.SECONDS)).as("the writer started the file").isTrue();
            // the file is being written (its store does not return): the feed appends on meanwhile
            for (int i = 0; i < 3; i++) {
                appendSignal(lake, appended++);
            }
            assertThat(lake.filesWaiting()).isEqualTo(1);
            store.release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> lake.filesWaiting() == 0);
            assertThat(store.threads).containsExactly("analytics-lake-writer");
            assertThat(store.nices.get(0)).hasValue(SIDE_ROUTE_NICE);
            assertThat(SideRouteThreads.currentNice()).as("the feed's thread keeps its priority").isEqualTo(callers);
            assertThat(lake.writtenEvents() + lake.bufferedEvents()).isEqualTo(appended);
        }
        assertThat(ids(root)).as("the sealed file and, at the stop, the rest").hasSize(appended).doesNotHaveDuplicates();
    }

    @Test
    void aSlowDiskHoldsTheFeedBackOnceTwoFilesWaitBehindTheOneBeingWritten_andLosesNothing() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-writer-slow"), "lake");
        BlockingStore store = new BlockingStore(new LocalLakeStore(root));
        AtomicInteger appended = new AtomicInteger();
        try (ParquetLake lake = new ParquetLake(root, store, ROLL_SIZE, Duration.ofMinutes(5), Clock.systemUTC())) {
            Thread feed = new Thread(() -> {
                try {
                    appended.set(appendUntilSealed(lake, ParquetLake.MOST_SEALED + 2, 0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-feed");
            feed.start();
            assertThat(store.entered.await(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> feed.getState() == Thread.State.TIMED_WAITING
                    && lake.filesWaiting() == ParquetLake.MOST_SEALED + 1);
            assertThat(feed.isAlive()).as("the feed waits for the writer instead of sealing a fourth file").isTrue();
            store.release.countDown();
            feed.join(20_000);
            assertThat(feed.isAlive()).isFalse();
            lake.flush();
            assertThat(lake.writtenEvents()).isEqualTo(appended.get());
            assertThat(lake.droppedEvents()).isZero();
        }
        assertThat(ids(root)).hasSize(appended.get()).doesNotHaveDuplicates();
    }

    @Test
    void aBrokenDiskDoesNotHoldTheFeed_andKeepsAtMostFourRollSizesOfEachPartition() throws Exception {
        Path root = Path.of(HubTestProperties.newDataDir("lake-writer-broken"), "lake");
        LakeStore broken = new LakeStore() {
            @Override
            public void publish(Path written, Path localTarget, String key) throws IOException {
                throw new IOException("No space left on device (test)");
            }

            @Override
            public String location() {
                return root.toString();
            }
        };
        try (ParquetLake lake = new ParquetLake(root, broken, ROLL_SIZE, Duration.ofMinutes(5), Clock.systemUTC())) {
            AtomicInteger appended = new AtomicInteger();
            Thread feed = new Thread(() -> {
                try {
                    appended.set(appendUntilSealed(lake, 12, 0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "test-feed");
            feed.start();
            feed.join(30_000);
            assertThat(feed.isAlive()).as("a failing writer does not hold the feed").isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> lake.droppedEvents() > 0 && lake.filesWaiting() < 4);
            assertThat(lake.lastFailure()).contains("type=signal").contains("No space left on device");
            assertThat(lake.droppedEvents() + lake.bufferedEvents()).as("every row kept or counted as dropped").isEqualTo(appended.get());
            assertThat(lake.bufferedEvents()).as("at most four roll sizes kept").isLessThan(4L * appended.get() / 12 + 1);
        }
    }

    /** The signals' roll size: a partition is sealed after a dozen signals. */
    private static final long ROLL_SIZE = 4_000;

    /** A lake store whose first file waits until released, noting which thread hands each file and at which nice value. */
    private static final class BlockingStore implements LakeStore {
        final LocalLakeStore local;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<OptionalInt> nices = new CopyOnWriteArrayList<>();

        BlockingStore(LocalLakeStore local) {
            this.local = local;
        }

        @Override
        public void publish(Path written, Path localTarget, String key) throws IOException {
            threads.add(Thread.currentThread().getName());
            nices.add(SideRouteThreads.currentNice());
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("not released within 30 s (test)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            local.publish(written, localTarget, key);
        }

        @Override
        public String location() {
            return local.location();
        }
    }

    /** Appends signals as the feed does until {@code files} partitions were sealed by size; returns how many. */
    private static int appendUntilSealed(ParquetLake lake, int files, int from) throws Exception {
        int i = from;
        long sealedAt = 0;
        int sealed = 0;
        long bytes = 0;
        while (sealed < files) {
            bytes += appendSignal(lake, i++);
            if (bytes - sealedAt >= ROLL_SIZE) {
                sealedAt = bytes;
                sealed++;
            }
        }
        return i - from;
    }

    private static int appendSignal(ParquetLake lake, int i) throws Exception {
        byte[] bytes = ("{\"specversion\":\"1.0\",\"id\":\"s-" + i + "\",\"type\":\"io.millwright.signal.v1\",\"source\":\"opcua://plant-sim\","
                + "\"subject\":\"acme/springfield/assembly/line-1/machine-1\",\"time\":\"2026-11-30T10:00:00Z\","
                + "\"data\":{\"tag\":\"ns=3;s=M1.T" + i % 13 + "\",\"value\":" + (20 + i * 0.25) + ",\"quality\":\"GOOD\"}}")
                .getBytes(StandardCharsets.UTF_8);
        SignalEvent signal = SignalEvent.read(JSON.getFactory(), bytes);
        assertThat(signal).isNotNull();
        lake.append(signal, bytes, bytes.length);
        return bytes.length;
    }

    private static List<String> ids(Path root) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
                ResultSet rows = sql.executeQuery("SELECT id FROM read_parquet('" + ParquetLake.sqlString(root.toString())
                        + "/type=signal/*/*.parquet')")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
