package io.millwright.edge.link;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.MachineState;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.util.unit.DataSize;

/**
 * What the edge's buffer does at its limit while the central hub cannot be reached (its URL points
 * at a port nobody listens on): the real embedded broker with the link's configuration, the hub's
 * own sender, and the link's health and meters.
 */
class EdgeBufferLimitTest {

    @TempDir Path edgeDir;
    TestEdgeBroker edge;

    @AfterEach
    void stop() throws Exception {
        TestEdgeBroker.close(edge);
    }

    // DROP_OLDEST keeps the newest max-messages events and counts what it pushed out.
    @Test
    void theOldestEventsMakeRoomAndAreCounted_whenTheBufferIsFullWithDropOldest() throws Exception {
        EdgeLinkProperties.Buffer limits = new EdgeLinkProperties.Buffer(DataSize.ofMegabytes(10), DataSize.ofMegabytes(100),
                50, Duration.ZERO, EdgeLinkProperties.FullPolicy.DROP_OLDEST);
        start(limits);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            OutgoingEvent event = state("acme/plant-1/press/line-1/cell-" + (i % 3));
            edge.sender.send(List.of(event));
            ids.add(event.envelope().id());
        }

        Queue outbox = edge.broker.server().locateQueue(SimpleString.of(EdgeLink.OUTBOX));
        // the queue enforces its ring size on its own executor, a moment after the send returned
        await().atMost(ofSeconds(10)).untilAsserted(() -> {
            assertThat(outbox.getMessageCount()).isEqualTo(50);
            // the one waiting longest is the 71st published: the 70 before it were dropped
            assertThat(outbox.peekFirstMessage().getMessage().getStringProperty("ce_id")).isEqualTo(ids.get(70));
        });

        EdgeLinkMonitor monitor = edge.monitor;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        monitor.bindTo(registry);
        assertThat(registry.get("millwright.edge.link.dropped").tag("reason", "oldest").functionCounter().count()).isEqualTo(70);
        assertThat(registry.get("millwright.edge.link.buffer.events").gauge().value()).isEqualTo(50);
        assertThat(registry.get("millwright.edge.link.buffer.fill").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("millwright.edge.link.up").gauge().value()).isZero();
        assertThat(registry.get("millwright.edge.link.forwarded").functionCounter().count()).isZero();
        assertThat(registry.get("millwright.edge.link.buffer.oldest.age").gauge().value()).isGreaterThanOrEqualTo(0);
        assertThat(monitor.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(monitor.health().getDetails()).containsEntry("link", "down").containsEntry("droppedOldest", 70L);
    }

    // FAIL refuses the event that would go over the limit (the hub's publishing then retries and
    // parks it in the dead-letter store); nothing already buffered is lost.
    @Test
    void aNewEventIsRefusedAndNothingDropped_whenTheBufferIsFullWithFail() throws Exception {
        // a small memory part so the buffer pages after a few events and the page limit applies
        EdgeLinkProperties.Buffer limits = new EdgeLinkProperties.Buffer(DataSize.ofKilobytes(8), DataSize.ofMegabytes(100),
                50, Duration.ZERO, EdgeLinkProperties.FullPolicy.FAIL);
        start(limits);
        int accepted = 0;
        JMSException refused = null;
        for (int i = 0; i < 500 && refused == null; i++) {
            try {
                edge.sender.send(List.of(state("acme/plant-1/press/line-1/cell-1")));
                accepted++;
            } catch (JMSException e) {
                refused = e;
            }
        }

        assertThat(refused).as("a send is refused once the buffer is full").isNotNull();
        assertThat(accepted).isBetween(50, 80);
        Queue outbox = edge.broker.server().locateQueue(SimpleString.of(EdgeLink.OUTBOX));
        assertThat(outbox.getMessageCount()).isEqualTo(accepted);
        assertThat(outbox.getMessagesReplaced()).isZero();
        assertThatThrownBy(() -> edge.sender.send(List.of(state("acme/plant-1/press/line-1/cell-1")))).isInstanceOf(JMSException.class);
    }

    // max-age: an event that waited longer than the limit leaves the buffer for ExpiryAddress (kept
    // there for inspection) and is counted as dropped "expired"; younger events stay and keep their order.
    @Test
    void eventsOlderThanMaxAgeLeaveTheBufferAndAreCounted_whileYoungerOnesStay() throws Exception {
        EdgeLinkProperties.Buffer limits = new EdgeLinkProperties.Buffer(DataSize.ofMegabytes(10), DataSize.ofMegabytes(100),
                1000, Duration.ofSeconds(2), EdgeLinkProperties.FullPolicy.DROP_OLDEST);
        start(limits);
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            OutgoingEvent event = state("acme/plant-1/press/line-1/cell-" + (i % 3));
            edge.sender.send(List.of(event));
            old.add(event.envelope().id());
        }
        Queue outbox = edge.broker.server().locateQueue(SimpleString.of(EdgeLink.OUTBOX));
        assertThat(outbox.getMessageCount()).isEqualTo(30);
        // the 30 pass their max-age of 2 s; 10 more arrive meanwhile, each younger than 2 s at the check below
        Thread.sleep(1_500);
        List<String> young = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            OutgoingEvent event = state("acme/plant-1/press/line-1/cell-" + (i % 3));
            edge.sender.send(List.of(event));
            young.add(event.envelope().id());
        }

        EdgeLinkMonitor monitor = edge.monitor;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        monitor.bindTo(registry);
        // the broker scans for expired events every max-age / 10 (200 ms here), not its default 30 s
        await().atMost(ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(outbox.getMessagesExpired()).isEqualTo(30);
            assertThat(outbox.getMessageCount()).isEqualTo(10);
        });
        assertThat(outbox.peekFirstMessage().getMessage().getStringProperty("ce_id")).isEqualTo(young.get(0));
        assertThat(registry.get("millwright.edge.link.dropped").tag("reason", "expired").functionCounter().count()).isEqualTo(30);
        assertThat(registry.get("millwright.edge.link.dropped").tag("reason", "oldest").functionCounter().count()).isZero();
        assertThat(registry.get("millwright.edge.link.buffer.events").gauge().value()).isEqualTo(10);
        assertThat(registry.get("millwright.edge.link.buffer.oldest.age").gauge().value()).isLessThan(2.5);
        assertThat(monitor.health().getStatus()).isEqualTo(EdgeLinkMonitor.LINK_DOWN);
        assertThat(monitor.health().getDetails()).containsEntry("expired", 30L).containsEntry("bufferedEvents", 10L);

        // the expired events are kept on the expiry address's queue for the outbox, with their ids
        Queue expired = edge.broker.server().locateQueue(SimpleString.of("EXP." + EdgeLink.OUTBOX));
        assertThat(expired).as("expiry queue of the outbox").isNotNull();
        await().atMost(ofSeconds(5)).until(() -> expired.getMessageCount() == 30);
        assertThat(expired.peekFirstMessage().getMessage().getStringProperty("ce_id")).isIn(old);
    }

    private void start(EdgeLinkProperties.Buffer limits) throws Exception {
        edge = TestEdgeBroker.start(edgeDir, EdgeLinkFixtures.link("tcp://127.0.0.1:" + FreePorts.next(), limits));
    }

    private static OutgoingEvent state(String asset) throws Exception {
        return EdgeLinkFixtures.machineState(asset, MachineState.RUNNING);
    }
}
