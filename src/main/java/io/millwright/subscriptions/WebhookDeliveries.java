package io.millwright.subscriptions;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Connection;
import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The running webhook deliveries, one {@link WebhookDispatcher} (thread, queue consumer) per
 * webhook subscription, their figures as Micrometer meters tagged {@code subscription}, and the
 * resend of dead letters back into the subscription's queue.
 */
public class WebhookDeliveries implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;
    private final WebhookDeadLetters deadLetters;
    private final WebhookDispatcher.Retry retry;
    private final SubscriptionMeters meters;
    private final Map<String, WebhookDispatcher> running = new ConcurrentHashMap<>();
    private final Map<String, WebhookDispatcher.Figures> figures = new ConcurrentHashMap<>();

    WebhookDeliveries(ActiveMQConnectionFactory factory, WebhookDeadLetters deadLetters, WebhookDispatcher.Retry retry,
            MeterRegistry meters) {
        this.factory = factory;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.meters = new SubscriptionMeters(meters);
    }

    /** Starts (or restarts with a changed delivery) the subscription's dispatcher. */
    synchronized void start(String name, Subscription.Delivery delivery) {
        stop(name);
        WebhookDispatcher.Figures f = figures.computeIfAbsent(name, this::newFigures);
        WebhookDispatcher dispatcher = new WebhookDispatcher(name, delivery, factory, deadLetters, retry, f);
        running.put(name, dispatcher);
        dispatcher.start();
    }

    synchronized void stop(String name) {
        WebhookDispatcher dispatcher = running.remove(name);
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** Stops the dispatcher, forgets its figures and meters and deletes its dead letters. */
    synchronized void remove(String name) {
        stop(name);
        figures.remove(name);
        meters.remove(name);
        deadLetters.deleteAll(name);
    }

    Map<String, Object> figures(String name) {
        WebhookDispatcher.Figures f = figures.get(name);
        Map<String, Object> map = f == null ? new java.util.LinkedHashMap<>() : f.asMap();
        map.put("deadLetters", deadLetters.count(name));
        return map;
    }

    List<WebhookDeadLetters.Entry> deadLetters(String name, String status) {
        return deadLetters.list(name, status);
    }

    /**
     * Puts a dead letter back at the end of the subscription's queue, once: an entry already
     * resent is refused ({@link IllegalStateException}).
     */
    WebhookDeadLetters.Entry resend(String name, long id) {
        WebhookDeadLetters.Entry entry = deadLetters.find(name, id)
                .orElseThrow(() -> new SubscriptionService.SubscriptionNotFoundException(name + " has no dead letter " + id + ";"));
        if (!deadLetters.markResent(id)) {
            throw new IllegalStateException("dead letter " + id + " of subscription " + name + " was already resent");
        }
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(SubscriptionQueues.queueName(name)));
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(entry.payload().getBytes(StandardCharsets.UTF_8));
            if (entry.subject() != null) {
                message.setStringProperty("ce_subject", entry.subject());
            }
            producer.send(message, DeliveryMode.PERSISTENT, jakarta.jms.Message.DEFAULT_PRIORITY, 0L);
        } catch (JMSException e) {
            deadLetters.markDead(id);
            throw new SubscriptionService.BrokerUnavailableException("Artemis did not take the resent event: " + e.getMessage(), e);
        }
        return deadLetters.find(name, id).orElseThrow();
    }

    private WebhookDispatcher.Figures newFigures(String name) {
        WebhookDispatcher.Figures f = new WebhookDispatcher.Figures();
        meters.register(name, new SubscriptionMeters.Figures(f.delivered, "Events a webhook subscriber took",
                f.failedAttempts, "Webhook POSTs that failed (each retry counts)", f.lagMillis, f.deadLettered));
        return f;
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
        factory.close();
    }
}
