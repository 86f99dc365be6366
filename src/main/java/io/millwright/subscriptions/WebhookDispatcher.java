package io.millwright.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.IsoInstants;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one webhook subscription: reads its durable queue {@code millwright.subscriptions.<name>}
 * one event at a time in a transacted session, POSTs the CloudEvent (structured or binary) with
 * {@link WebhookSignature#HEADER}, and retries a failed POST with exponential backoff before it
 * takes the next event, so the order per asset (and overall) is the order of the queue. After the
 * last attempt the event goes to the subscription's dead-letter store with the reason, and the
 * next one is delivered. Its own thread and queue: a dead receiver holds back nothing but its own
 * backlog, which the broker bounds ({@link SubscriptionsProperties}).
 */
class WebhookDispatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settings of the retries and the HTTP call. */
    record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {}

    /** Delivery figures, for the status API and the metrics. */
    static final class Figures {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
        final AtomicLong lagMillis = new AtomicLong();
        final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
        final AtomicReference<String> lastError = new AtomicReference<>();

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("webhookDelivered", delivered.get());
            map.put("webhookDeadLettered", deadLettered.get());
            map.put("webhookFailedAttempts", failedAttempts.get());
            map.put("lagMillis", lagMillis.get());
            map.put("lastDelivery", lastDelivery.get() == null ? null : lastDelivery.get().toString());
            map.put("lastError", lastError.get());
            return map;
        }
    }

    private final String name;
    private final Subscription.Delivery delivery;
    private final ActiveMQConnectionFactory factory;
    private final WebhookDeadLetters deadLetters;
    private final Retry retry;
    private final HttpClient http;
    final Figures figures;
    private volatile boolean running = true;
    private volatile Thread thread;

    WebhookDispatcher(String name, Subscription.Delivery delivery, ActiveMQConnectionFactory factory,
            WebhookDeadLetters deadLetters, Retry retry, Figures figures) {
        this.name = name;
        this.delivery = delivery;
        this.factory = factory;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.figures = figures;
        this.http = HttpClient.newBuilder().connectTimeout(retry.timeout()).build();
    }

    void start() {
        thread = new Thread(this, "webhook-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the event in hand (an event in retry goes back to the queue) and waits for the thread. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = factory.createConnection()) {
                connection.start();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(SubscriptionQueues.queueName(name)));
                while (running) {
                    Message message = consumer.receive(500);
                    if (message == null) {
                        continue;
                    }
                    if (deliver(body(message))) {
                        session.commit();
                    } else {
                        session.rollback(); // stopped during retries: the event stays first in the queue
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    log.warn("Webhook subscription lost its queue, reconnecting in 1 s subscription={} reason={}", name, e.getMessage());
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** Delivers with retries; true when done (delivered or dead-lettered), false when stopped meanwhile. */
    private boolean deliver(byte[] event) {
        Duration backoff = retry.initialBackoff();
        String reason = null;
        JsonNode parsed = parse(event);
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (!running) {
                return false;
            }
            reason = post(event, parsed);
            if (reason == null) {
                figures.delivered.incrementAndGet();
                Instant now = Instant.now();
                figures.lastDelivery.set(now);
                String received = parsed == null ? null : parsed.path("receivedtime").asText(null);
                if (received != null) {
                    figures.lagMillis.set(Duration.between(IsoInstants.parse(received), now).toMillis());
                }
                return true;
            }
            figures.failedAttempts.incrementAndGet();
            figures.lastError.set(reason);
            if (attempt < retry.maxAttempts()) {
                log.debug("Webhook attempt failed subscription={} attempt={} retryIn={} reason={}", name, attempt, backoff, reason);
                if (!pause(backoff)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : backoff.multipliedBy(2);
            }
        }
        String eventId = parsed == null ? null : parsed.path("id").asText(null);
        String subject = parsed == null ? null : parsed.path("subject").asText(null);
        deadLetters.add(name, eventId, subject, new String(event, StandardCharsets.UTF_8), reason, retry.maxAttempts());
        figures.deadLettered.incrementAndGet();
        log.warn("Webhook event dead-lettered after every attempt subscription={} id={} subject={} attempts={} reason={}",
                name, eventId, subject, retry.maxAttempts(), reason);
        return true;
    }

    /** One POST; null when the receiver took it (2xx), else the reason. */
    private String post(byte[] event, JsonNode parsed) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url())).timeout(retry.timeout());
            byte[] body = event;
            if ("binary".equals(delivery.mode()) && parsed != null) {
                // CloudEvents HTTP binding, binary mode: attributes as ce- headers, data as the body
                for (Iterator<Entry<String, JsonNode>> it = parsed.fields(); it.hasNext(); ) {
                    Entry<String, JsonNode> field = it.next();
                    if (!field.getKey().equals("data") && !field.getKey().equals("datacontenttype") && field.getValue().isValueNode()) {
                        request.header("ce-" + field.getKey(), field.getValue().asText());
                    }
                }
                body = JSON.writeValueAsBytes(parsed.path("data"));
                request.header("Content-Type", parsed.path("datacontenttype").asText("application/json"));
            } else {
                request.header("Content-Type", "application/cloudevents+json; charset=UTF-8");
            }
            request.header(WebhookSignature.HEADER, WebhookSignature.sign(delivery.secret(), Instant.now().getEpochSecond(), body));
            HttpResponse<Void> response = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode() + " from " + delivery.url();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage() + " (" + delivery.url() + ")";
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonNode parse(byte[] event) {
        try {
            return JSON.readTree(event);
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] body(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        if (message instanceof TextMessage text) {
            return text.getText().getBytes(StandardCharsets.UTF_8);
        }
        return message.getBody(byte[].class);
    }
}
