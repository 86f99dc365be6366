package io.millwright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live feed's promise: a slow client never slows the plant (broadcast returns while a client's
 * network write hangs), loses only its own updates (bounded buffer, then one resync), and a healthy
 * client beside it gets every update in order.
 */
class LiveFeedTest {

    static final int BUFFER = 8;

    final LiveFeed feed = new LiveFeed(new DashboardProperties(BUFFER, 3, Duration.ofMinutes(1), Duration.ofHours(1), 5));

    @AfterEach
    void stop() {
        feed.destroy();
    }

    @Test
    void broadcastDoesNotWaitForAStuckClient_whichGetsAResyncWhileAHealthyClientGetsEverything() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<LiveFeed.Outgoing> stuckReceived = new CopyOnWriteArrayList<>();
        LiveFeed.Client stuck = feed.connect(LiveFeed.Stream.DASHBOARD, new RecordingSink(stuckReceived, release), snapshot());
        List<LiveFeed.Outgoing> healthyReceived = new CopyOnWriteArrayList<>();
        feed.connect(LiveFeed.Stream.DASHBOARD, new RecordingSink(healthyReceived, null), snapshot());

        long inBroadcast = 0;
        for (int i = 0; i < 100; i++) {
            long started = System.nanoTime();
            feed.broadcast(List.of(update("event-" + i)));
            inBroadcast += System.nanoTime() - started;
            if (i % 4 == 3) {
                // the healthy client keeps up with the plant: it reads each burst before the next
                int expected = i + 2;
                await().atMost(Duration.ofSeconds(15)).until(() -> healthyReceived.size() == expected);
            }
        }
        // 100 updates while one client's write hangs: broadcast only fills buffers
        assertThat(TimeUnit.NANOSECONDS.toMillis(inBroadcast)).isLessThan(1_000);

        assertThat(healthyReceived.get(0).name()).isEqualTo("snapshot");
        assertThat(healthyReceived.subList(1, 101)).extracting(LiveFeed.Outgoing::id)
                .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "event-" + i).toList());

        assertThat(stuck.dropped()).as("the stuck client lost updates (its own)").isGreaterThan(0);
        release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> stuckReceived.stream().anyMatch(e -> "resync".equals(e.name())));
        // it never holds more than its buffer: snapshot (in the hung write) + at most BUFFER queued
        assertThat(stuckReceived.size()).isLessThanOrEqualTo(BUFFER + 1);
        assertThat(healthyReceived).noneMatch(e -> "resync".equals(e.name()));
    }

    @Test
    void assetClientsGetAssetStatesOnly_andAClientThatFailsIsDropped() {
        List<LiveFeed.Outgoing> assets = new CopyOnWriteArrayList<>();
        feed.connect(LiveFeed.Stream.ASSETS, new RecordingSink(assets, null), snapshot());
        feed.connect(LiveFeed.Stream.DASHBOARD, new FailingSink(), snapshot());
        assertThat(feed.connectedClients()).isEqualTo(2);

        feed.broadcast(List.of(update("with-asset"), new LiveUpdate(event("no-asset"), null)));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(assets).extracting(LiveFeed.Outgoing::name).containsExactly("snapshot", "asset-state");
            assertThat(feed.connectedClients()).isEqualTo(1);
        });
        assertThat(assets.get(1).name()).isEqualTo("asset-state");
        assertThat(assets.get(1).data()).isInstanceOf(AssetState.class);
    }

    @Test
    void oneClientMoreThanAllowedIsRefused() {
        for (int i = 0; i < 3; i++) {
            feed.connect(LiveFeed.Stream.DASHBOARD, new RecordingSink(new ArrayList<>(), null), snapshot());
        }
        assertThatThrownBy(() -> feed.connect(LiveFeed.Stream.DASHBOARD, new RecordingSink(new ArrayList<>(), null), snapshot()))
                .isInstanceOf(LiveFeed.TooManyClientsException.class).hasMessageContaining("millwright.dashboard.max-clients");
    }

    static LiveFeed.Outgoing snapshot() {
        return new LiveFeed.Outgoing("snapshot", null, "{}");
    }

    static EventEnvelope<MachineStateChanged> event(String id) {
        return EventEnvelope.of(id, EventType.MACHINE_STATE, "opcua://test", "acme/site/area/line-1/machine-1", Instant.now(), null,
                new MachineStateChanged(MachineState.DOWN, MachineState.RUNNING, "1000011", "0010"));
    }

    static LiveUpdate update(String id) {
        return new LiveUpdate(event(id), new AssetState("acme/site/area/line-1/machine-1", "acme/site/area/line-1", "machine-1", "DOWN",
                Instant.now(), "1000011", "0010", 0, 0, 0, null, Instant.now()));
    }

    /** Records what it is sent; with a latch, its first write hangs until the latch opens (a stalled network). */
    record RecordingSink(List<LiveFeed.Outgoing> received, CountDownLatch hangFirstWrite) implements LiveFeed.Sink {
        @Override
        public void send(LiveFeed.Outgoing event) throws IOException {
            received.add(event);
            if (hangFirstWrite != null) {
                try {
                    hangFirstWrite.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }

        @Override
        public void close() {}
    }

    /** Takes its snapshot, then fails: a browser that went away after connecting. */
    static final class FailingSink implements LiveFeed.Sink {
        private final java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void send(LiveFeed.Outgoing event) throws IOException {
            if (connected.compareAndSet(false, true)) {
                return;
            }
            throw new IOException("Broken pipe");
        }

        @Override
        public void close() {}
    }
}
