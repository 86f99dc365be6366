package io.millwright.edge.link;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static io.millwright.edge.link.EdgeLinkFixtures.EDGE_PASSWORD;
import static io.millwright.edge.link.EdgeLinkFixtures.HUB;
import static io.millwright.edge.link.EdgeLinkFixtures.JSON;
import static io.millwright.edge.link.EdgeLinkFixtures.MES;
import static io.millwright.edge.link.EdgeLinkFixtures.outgoing;
import static io.millwright.edge.link.EdgeLinkFixtures.buffer;
import static io.millwright.edge.link.EdgeLinkFixtures.link;

import com.fasterxml.jackson.core.type.TypeReference;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.model.MessageHeaders;
import io.millwright.model.ProductionCount;
import io.millwright.model.CounterKind;
import io.millwright.model.Quality;
import io.millwright.model.Signal;
import io.millwright.ops.FlowBatches;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;

/**
 * An edge hub and a central hub, each with its own embedded Artemis on its own free port and data
 * folder, linked by the real parts: the edge's outbox, diverts and core bridge
 * ({@link EdgeLinkBroker}), the central's ingress, edge user and duplicate detection
 * ({@link CentralIngestBroker}), and the central's ingest route ({@link CentralIngestRoute}) in a
 * Camel context whose publishing seam ({@value Endpoints#EVENT_PUBLISH}) records what the central
 * hub would publish. The edge publishes with the hub's own {@link ArtemisEventSender}.
 */
class EdgeCentralLinkTest {

    static final List<String> ASSETS = List.of("acme/plant-1/press/line-1/cell-1", "acme/plant-1/press/line-1/cell-2",
            "acme/plant-1/press/line-2/cell-1", "acme/plant-1/weld/line-3/cell-1", "acme/plant-1/weld/line-3/cell-2");

    @TempDir Path edgeDir;
    @TempDir Path centralDir;

    final int centralPort = FreePorts.next();
    EmbeddedArtemisBroker central;
    TestEdgeBroker edge;
    ArtemisEventSender edgeSender;
    DefaultCamelContext centralCamel;

    /** What the central hub published, per asset, in order. */
    final Map<String, List<String>> publishedByAsset = new ConcurrentHashMap<>();
    final List<String> published = new CopyOnWriteArrayList<>();
    final List<Object> deadLetters = new CopyOnWriteArrayList<>();
    /** What the central hub's ingress handed to its count booking: the {@link MessageHeaders#CONFIRMED_BY} mark and the event id. */
    final List<String> booking = new CopyOnWriteArrayList<>();
    /** What the edge published, per asset, in order. */
    final Map<String, List<String>> sentByAsset = new LinkedHashMap<>();

    @BeforeEach
    void startBoth() throws Exception {
        central = centralBroker();
        central.start();
        edge = TestEdgeBroker.start(edgeDir, link("tcp://127.0.0.1:" + centralPort, buffer(1_000_000, EdgeLinkProperties.FullPolicy.DROP_OLDEST)));
        edgeSender = edge.sender;
        centralCamel = centralCamel();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (centralCamel != null) {
            centralCamel.stop();
        }
        TestEdgeBroker.close(edge);
        if (central != null) {
            central.close();
        }
    }

    // The invariant: with the central hub down for a while as production goes on, every
    // event arrives at the central hub once, in order per asset.
    @Test
    void everyEventArrivesOnceInOrderPerAsset_whenTheCentralHubWasDownWhileProductionWentOn() throws Exception {
        EdgeLinkMonitor monitor = edge.monitor;
        await().atMost(ofSeconds(20)).until(() -> monitor.snapshot().up());
        produce(0, 20);
        await().atMost(ofSeconds(20)).until(() -> published.size() == sentCount());

        central.close();
        await().atMost(ofSeconds(20)).until(() -> !monitor.snapshot().up());
        produce(20, 120); // 100 ticks x (5 signals + every 5th tick 5 states) = 600 events while down
        // the edge kept collecting: every batch and state message of the outage waits in its buffer
        // (signal batches are sent non-persistent, so without waiting for the broker: the last one
        // may still be on its way into the outbox when produce returns)
        await().atMost(ofSeconds(10)).untilAsserted(() -> {
            EdgeLinkMonitor.Snapshot waiting = monitor.snapshot();
            assertThat(waiting.up()).isFalse();
            assertThat(waiting.messages()).isEqualTo(100 + 20 * 5);
        });
        assertThat(monitor.health().getStatus()).isEqualTo(EdgeLinkMonitor.LINK_DOWN);
        int beforeOutage = published.size();

        central = centralBroker(); // same data folder: a restarted central keeps its journal and id cache
        central.start();
        await().atMost(ofSeconds(60)).until(() -> published.size() >= sentCount());

        assertThat(sentCount()).isGreaterThanOrEqualTo(500 + beforeOutage);
        assertThat(published).doesNotHaveDuplicates().hasSize(sentCount());
        assertThat(publishedByAsset).containsExactlyInAnyOrderEntriesOf(sentByAsset);
        assertThat(deadLetters).isEmpty();
        await().atMost(ofSeconds(10)).untilAsserted(() -> {
            EdgeLinkMonitor.Snapshot after = monitor.snapshot();
            assertThat(after.up()).isTrue();
            assertThat(after.messages()).isZero();
            assertThat(after.droppedOldest()).isZero();
            assertThat(monitor.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    // Artemis duplicate detection on the CloudEvents id: an event the edge publishes again (a
    // resubmitted dead letter, a retried batch) reaches the central hub's subscribers once.
    @Test
    void anEventPublishedTwiceOnTheEdgeIsPublishedOnceByTheCentralHub() throws Exception {
        EventEnvelope<?> state = state(ASSETS.get(0), MachineState.RUNNING);
        edgeSender.send(List.of(outgoing(state)));
        edgeSender.send(List.of(outgoing(state)));
        EventEnvelope<?> after = state(ASSETS.get(0), MachineState.IDLE);
        edgeSender.send(List.of(outgoing(after)));

        await().atMost(ofSeconds(20)).until(() -> published.contains(after.id()));
        // control: the event after the duplicate arrived, so the duplicate had its chance
        assertThat(published).containsExactly(state.id(), after.id());
    }

    // Issue 7: the central books the counts its edges forward, and only those the edge does not post to SAP itself;
    // other events never reach the booking. Exactly one hub posts a count to SAP.
    @Test
    void countsReachTheCentralBooking_markedWhenTheEdgeConfirmsThemItself(@TempDir Path selfConfirmingDir) throws Exception {
        EventEnvelope<?> state = state(ASSETS.get(0), MachineState.RUNNING);
        EventEnvelope<?> count = count(ASSETS.get(0), 3);
        edgeSender.send(List.of(outgoing(state)));
        edgeSender.send(List.of(outgoing(count)));
        await().atMost(ofSeconds(20)).until(() -> published.contains(count.id()));
        assertThat(booking).containsExactly("unmarked " + count.id());

        TestEdgeBroker.close(edge);
        edge = TestEdgeBroker.start(selfConfirmingDir, link("tcp://127.0.0.1:" + centralPort,
                buffer(1_000_000, EdgeLinkProperties.FullPolicy.DROP_OLDEST)), true);
        EventEnvelope<?> confirmedAtTheEdge = count(ASSETS.get(1), 4);
        edge.sender.send(List.of(outgoing(state(ASSETS.get(1), MachineState.IDLE)), outgoing(confirmedAtTheEdge)));
        await().atMost(ofSeconds(20)).until(() -> published.contains(confirmedAtTheEdge.id()));
        assertThat(booking).containsExactly("unmarked " + count.id(), MessageHeaders.CONFIRMED_BY_EDGE + " " + confirmedAtTheEdge.id());
        assertThat(deadLetters).isEmpty();
    }

    // Issue 7, the edge's ledger is pruned only after the link delivered: the edge notes the ids of the production
    // counts the central hub's broker acknowledged, none while they wait in the buffer, and no other event's.
    @Test
    void theEdgeNotesTheCountsTheCentralHubsBrokerAcknowledged_notThoseWaitingInItsBuffer(@TempDir Path notingDir) throws Exception {
        TestEdgeBroker.close(edge);
        ForwardedCounts forwarded = new ForwardedCounts();
        edge = TestEdgeBroker.start(notingDir, link("tcp://127.0.0.1:" + centralPort,
                buffer(1_000_000, EdgeLinkProperties.FullPolicy.DROP_OLDEST)), false, forwarded);
        await().atMost(ofSeconds(20)).until(() -> edge.monitor.snapshot().up());
        central.close();
        await().atMost(ofSeconds(20)).until(() -> !edge.monitor.snapshot().up());

        EventEnvelope<?> single = count(ASSETS.get(0), 2);
        EventEnvelope<?> together1 = count(ASSETS.get(1), 3);
        EventEnvelope<?> together2 = count(ASSETS.get(2), 4);
        edge.sender.send(List.of(outgoing(state(ASSETS.get(0), MachineState.RUNNING))));
        edge.sender.send(List.of(outgoing(single)));
        edge.sender.send(List.of(outgoing(together1), outgoing(together2)));
        await().atMost(ofSeconds(10)).until(() -> edge.monitor.snapshot().messages() == 4); // counts travel one per message
        assertThat(forwarded.drain(100)).as("waiting in the buffer: not forwarded").isEmpty();

        central = centralBroker();
        central.start();
        await().atMost(ofSeconds(60)).until(() -> published.containsAll(List.of(single.id(), together1.id(), together2.id())));
        List<String> noted = new CopyOnWriteArrayList<>();
        await().atMost(ofSeconds(10)).untilAsserted(() -> {
            noted.addAll(forwarded.drain(100));
            assertThat(noted).containsExactlyInAnyOrder(single.id(), together1.id(), together2.id());
        });
    }

    // Issue #11 "edge hubs get their own user": it may send to the ingress and nothing else.
    @Test
    void theEdgeUserMaySendToTheIngressOnly() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(central.acceptorUri(), "edge", EDGE_PASSWORD);
                Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue(EdgeLink.INGRESS)).send(session.createTextMessage("[]"));
            assertThatThrownBy(() -> session.createProducer(session.createTopic(EventType.MACHINE_STATE.destination()))
                    .send(session.createTextMessage("{}")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue(EdgeLink.INGRESS)))
                    .isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> {
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(central.acceptorUri(), "edge", "wrong");
                    Connection connection = factory.createConnection()) {
                connection.start();
            }
        }).isInstanceOf(JMSSecurityException.class);
    }

    /**
     * Ticks {@code from..to-1}: each publishes one signal per asset (one batch message) and, every
     * 5th, then a machine state per asset, each as its own publication so that the order on the
     * edge's broker is the order recorded here.
     */
    private void produce(int from, int to) throws Exception {
        for (int tick = from; tick < to; tick++) {
            List<OutgoingEvent> signals = new ArrayList<>();
            for (String asset : ASSETS) {
                signals.add(outgoing(EventEnvelope.of(EventType.SIGNAL, "opcua://edge-1", asset, Instant.now(), null,
                        new Signal("counter", tick, "PC", Quality.GOOD, "0x00000000"))));
            }
            publish(signals);
            if (tick % 5 == 0) {
                List<OutgoingEvent> states = new ArrayList<>();
                for (String asset : ASSETS) {
                    states.add(outgoing(state(asset, tick % 10 == 0 ? MachineState.RUNNING : MachineState.IDLE)));
                }
                publish(states);
            }
        }
    }

    private void publish(List<OutgoingEvent> batch) throws Exception {
        edgeSender.send(batch);
        for (OutgoingEvent event : batch) {
            sentByAsset.computeIfAbsent(event.key(), k -> new ArrayList<>()).add(event.envelope().id());
        }
    }

    private int sentCount() {
        return sentByAsset.values().stream().mapToInt(List::size).sum();
    }

    private static EventEnvelope<?> count(String asset, long delta) {
        return EventEnvelope.of(EventType.PRODUCTION_COUNT, "opcua://edge-1", asset, Instant.now(), null,
                new ProductionCount("1000011", "0010", CounterKind.GOOD, delta, 100 + delta, "PC"));
    }

    private static EventEnvelope<?> state(String asset, MachineState state) {
        return EventEnvelope.of(EventType.MACHINE_STATE, "opcua://edge-1", asset, Instant.now(), null,
                new MachineStateChanged(state, MachineState.DOWN, "1000011", "0010"));
    }

    private EmbeddedArtemisBroker centralBroker() {
        return new EmbeddedArtemisBroker("127.0.0.1", centralPort, centralDir, HUB, MES,
                List.of(new CentralIngestBroker(new CentralIngestProperties("edge", EDGE_PASSWORD, 100_000))));
    }

    private DefaultCamelContext centralCamel() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        // the client reconnects to a restarted broker; the listener container re-subscribes
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + centralPort + "?reconnectAttempts=-1&retryInterval=100&maxRetryInterval=500",
                HUB.user(), HUB.password());
        JmsComponent jms = JmsComponent.jmsComponent(factory);
        jms.getConfiguration().setRecoveryInterval(200);
        camel.addComponent("jms", jms);
        TypeReference<List<EventEnvelope>> envelopes = new TypeReference<>() {};
        camel.addRoutes(new CentralIngestRoute("jms"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Endpoints.EVENT_PUBLISH).routeId("test-central-publish").process(exchange -> {
                    for (EventEnvelope<?> event : FlowBatches.readBatch(exchange, JSON, EventEnvelope.class, envelopes)) {
                        published.add(event.id());
                        publishedByAsset.computeIfAbsent(event.subject(), k -> new CopyOnWriteArrayList<>()).add(event.id());
                    }
                });
                from(Endpoints.CENTRAL_COUNT_BOOKING).routeId("test-central-count-booking").process(exchange -> booking.add(
                        exchange.getMessage().getHeader(MessageHeaders.CONFIRMED_BY, "unmarked", String.class) + " "
                                + JSON.readTree(exchange.getMessage().getBody(String.class)).path("id").asText()));
                from(Endpoints.DEAD_LETTER).routeId("test-dead-letter").process(exchange -> deadLetters.add(exchange.getMessage().getBody()));
            }
        });
        camel.start();
        return camel;
    }
}
