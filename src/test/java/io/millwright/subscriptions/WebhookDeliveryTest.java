package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.mes.ArtemisEventSender;
import io.millwright.mes.MesProperties;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.testsupport.FreePorts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Webhook delivery against a real embedded Artemis and a plain JDK HTTP receiver: a receiver that
 * fails for a while gets every event once, in order per asset, each signature valid; one that
 * never recovers leaves the events in the subscription's dead-letter store, from where they are
 * resent once.
 */
class WebhookDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String SECRET = "test-webhook-secret-0123456789";
    static final String LINE_1 = "acme/springfield/assembly/line-1";

    @TempDir Path dataDir;
    EmbeddedArtemisBroker broker;
    SubscriptionQueues queues;
    WebhookDeadLetters deadLetters;
    WebhookDeliveries deliveries;
    HttpServer receiver;
    final AtomicInteger failuresLeft = new AtomicInteger();
    final List<Received> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    record Received(byte[] body, String signature, String ceId, String contentType) {}

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir);
        broker.start();
        queues = new SubscriptionQueues(broker.acceptorUri(), null, null);
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:webhooks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        deadLetters = new WebhookDeadLetters(new NamedParameterJdbcTemplate(db));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            int status = failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0 ? 503 : 204;
            if (failuresLeft.get() < 0) {
                status = 500; // never recovers
            }
            if (status == 204) {
                accepted.add(new Received(body, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                        exchange.getRequestHeaders().getFirst("ce-id"), exchange.getRequestHeaders().getFirst("Content-Type")));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (deliveries != null) {
            deliveries.close();
        }
        receiver.stop(0);
        broker.close();
    }

    @Test
    void receiverFailsForAWhileThenRecovers_everyEventOnceInOrderPerAsset_signaturesVerify() throws Exception {
        failuresLeft.set(4);
        deliveries = deliveries(6);
        subscribe("hook-recovers", "structured");

        Map<String, List<String>> sent = publish(40);

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 40);
        Map<String, List<String>> received = new LinkedHashMap<>();
        for (Received r : accepted) {
            assertThat(WebhookSignature.verify(SECRET, r.signature(), r.body())).as("signature %s", r.signature()).isTrue();
            assertThat(WebhookSignature.verify("another-secret-0123456789", r.signature(), r.body())).isFalse();
            assertThat(r.contentType()).startsWith("application/cloudevents+json");
            JsonNode event = JSON.readTree(r.body());
            received.computeIfAbsent(event.path("subject").asText(), a -> new ArrayList<>()).add(event.path("id").asText());
        }
        assertThat(received).isEqualTo(sent);
        assertThat(requests.get()).isEqualTo(44);
        assertThat(deadLetters.list("hook-recovers", null)).isEmpty();
        assertThat(deliveries.figures("hook-recovers"))
                .containsEntry("webhookDelivered", 40L)
                .containsEntry("webhookFailedAttempts", 4L)
                .containsEntry("deadLetters", 0L);
    }

    @Test
    void receiverNeverRecovers_eventsInDeadLetterStore_resentOnceWhenBack() throws Exception {
        failuresLeft.set(-1);
        deliveries = deliveries(3);
        subscribe("hook-dead", "binary");

        Map<String, List<String>> sent = publish(4);

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list("hook-dead", "DEAD").size() == 4);
        List<WebhookDeadLetters.Entry> dead = deadLetters.list("hook-dead", "DEAD");
        assertThat(dead).allSatisfy(entry -> {
            assertThat(entry.attempts()).isEqualTo(3);
            assertThat(entry.reason()).contains("HTTP 500");
        });
        assertThat(dead).extracting(WebhookDeadLetters.Entry::eventId)
                .containsExactlyInAnyOrderElementsOf(sent.values().stream().flatMap(List::stream).toList());
        assertThat(accepted).isEmpty();
        assertThat(requests.get()).isEqualTo(12);

        failuresLeft.set(0); // the receiver is back
        for (WebhookDeadLetters.Entry entry : dead) {
            assertThat(deliveries.resend("hook-dead", entry.id()).status()).isEqualTo("RESENT");
        }
        assertThatThrownBy(() -> deliveries.resend("hook-dead", dead.get(0).id())).isInstanceOf(IllegalStateException.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 4);
        assertThat(accepted).extracting(Received::ceId).containsExactlyElementsOf(dead.stream().map(WebhookDeadLetters.Entry::eventId).toList());
        for (Received r : accepted) {
            // binary mode: attributes in ce- headers, the body is the event's data, signed as sent
            assertThat(WebhookSignature.verify(SECRET, r.signature(), r.body())).isTrue();
            assertThat(JSON.readTree(r.body()).path("state").asText()).isNotBlank();
            assertThat(r.contentType()).isEqualTo("application/json");
        }
        assertThat(deadLetters.list("hook-dead", "DEAD")).isEmpty();
    }

    @Test
    void deadReceiverOfOneSubscription_doesNotHoldBackAnother() throws Exception {
        deliveries = deliveries(100);
        queues.apply("hook-never-there", EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse(LINE_1 + "/#"), false);
        deliveries.start("hook-never-there", new Subscription.Delivery(Subscription.DeliveryType.webhook,
                "http://127.0.0.1:" + FreePorts.next() + "/nobody-listens", SECRET, "structured"));
        subscribe("hook-alive", "structured");

        Map<String, List<String>> sent = publish(30);

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 30);
        assertThat(accepted).hasSize(30);
        assertThat(deliveries.figures("hook-never-there")).containsEntry("webhookDelivered", 0L);
        assertThat((String) deliveries.figures("hook-never-there").get("lastError")).contains("nobody-listens");
        assertThat(queues.stats("hook-never-there").get("pending")).as("its backlog waits in its own queue").isEqualTo(30L);
        assertThat(sent.values().stream().mapToInt(List::size).sum()).isEqualTo(30);
    }

    private WebhookDeliveries deliveries(int maxAttempts) {
        return new WebhookDeliveries(new ActiveMQConnectionFactory(broker.acceptorUri()), deadLetters,
                new WebhookDispatcher.Retry(maxAttempts, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5)), null);
    }

    private void subscribe(String name, String mode) throws Exception {
        queues.apply(name, EnumSet.of(EventType.MACHINE_STATE), AssetFilter.parse(LINE_1 + "/#"), false);
        deliveries.start(name, new Subscription.Delivery(Subscription.DeliveryType.webhook,
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", SECRET, mode));
    }

    /** Publishes {@code count} events for line 1 (two machines) and as many for line 2; returns line 1's ids per asset. */
    private Map<String, List<String>> publish(int count) throws Exception {
        ArtemisProperties artemis = new ArtemisProperties();
        artemis.setBrokerUrl(broker.acceptorUri());
        ArtemisEventSender sender = new ArtemisEventSender(artemis, new MesProperties("127.0.0.1:1", 3, (short) 1,
                Duration.ofMillis(5), DataSize.ofKilobytes(256), 0, false, MesProperties.ArtemisSignals.BATCH));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        try {
            List<OutgoingEvent> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String asset = LINE_1 + "/machine-" + (i % 2 + 1);
                OutgoingEvent event = state(asset);
                batch.add(event);
                batch.add(state("acme/springfield/assembly/line-2/machine-1"));
                sent.computeIfAbsent(asset, a -> new ArrayList<>()).add(event.envelope().id());
            }
            sender.send(batch);
        } finally {
            sender.destroy();
        }
        return sent;
    }

    private static OutgoingEvent state(String asset) throws Exception {
        EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test", asset, Instant.now(), null,
                new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, "1000011", "0010"));
        return new OutgoingEvent(EventType.MACHINE_STATE, envelope, JSON.writeValueAsBytes(envelope));
    }
}
