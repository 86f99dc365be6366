package io.millwright.subscriptions;

import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The subscription registry: checks a subscription, stores it, and keeps its delivery on the
 * broker in step ({@link SubscriptionQueues}). At start-up every stored subscription's queue and
 * diverts are made sure of (the broker keeps them too; this repairs a broker whose data was lost).
 */
public class SubscriptionService implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** What a POST did. */
    public enum Outcome { CREATED, UNCHANGED }

    /** The API's view of a subscription: the definition (secret hidden), its state and its delivery figures. */
    public record Status(Subscription subscription, boolean paused, String queue, Map<String, Object> delivery) {}

    private final SubscriptionStore store;
    private final SubscriptionQueues queues;
    private final SubscriptionsProperties properties;
    private final WebhookDeliveries webhooks;
    private final KafkaSubscriptionTopics kafka;
    private final QueueDeliveryWatch queueWatch = new QueueDeliveryWatch();
    /** Reads the queue subscriptions' figures every {@link #QUEUE_WATCH_INTERVAL_SECONDS} s for last delivery and last error. */
    private final java.util.concurrent.ScheduledExecutorService queueWatchTimer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "subscription-queue-watch");
                thread.setDaemon(true);
                return thread;
            });

    /** How often queue subscriptions are read for {@code lastDelivery} and {@code lastError}: so their accuracy. */
    static final long QUEUE_WATCH_INTERVAL_SECONDS = 10;

    SubscriptionService(SubscriptionStore store, SubscriptionQueues queues, SubscriptionsProperties properties,
            WebhookDeliveries webhooks, KafkaSubscriptionTopics kafka) {
        this.store = store;
        this.queues = queues;
        this.properties = properties;
        this.webhooks = webhooks;
        this.kafka = kafka;
    }

    @Override
    public void afterSingletonsInstantiated() {
        queueWatchTimer.scheduleWithFixedDelay(this::watchQueues, QUEUE_WATCH_INTERVAL_SECONDS, QUEUE_WATCH_INTERVAL_SECONDS,
                java.util.concurrent.TimeUnit.SECONDS);
        List<SubscriptionStore.Stored> all = store.list();
        if (all.isEmpty()) {
            return; // nothing to check; a hub without subscriptions does not touch the broker for them
        }
        try {
            boundBacklogs();
            for (SubscriptionStore.Stored stored : all) {
                Subscription s = stored.subscription();
                if (isKafka(s)) {
                    ensureKafkaTopic(s);
                } else {
                    queues.apply(s.name(), types(s.types()), AssetFilter.parse(s.assetFilter()), FieldFilter.parse(s.filter()), false);
                }
            }
            for (SubscriptionStore.Stored stored : all) {
                if (!stored.paused() || !isKafka(stored.subscription())) {
                    startDelivery(stored.subscription());
                }
            }
            log.info("Subscriptions ready subscriptions={} backlogLimit={} backlogFullPolicy={}", all.size(),
                    properties.backlogLimit(), properties.backlogFullPolicy());
        } catch (Exception e) {
            log.warn("Subscription queues not checked at start; the broker keeps those it had subscriptions={} reason={}",
                    all.size(), e.getMessage());
        }
    }

    @Override
    public void destroy() {
        queueWatchTimer.shutdownNow();
    }

    /** One read of every queue subscription's figures, so that a delivery or failure between two API calls is seen. */
    private void watchQueues() {
        try {
            for (SubscriptionStore.Stored stored : store.list()) {
                Subscription s = stored.subscription();
                if (s.delivery().type() == Subscription.DeliveryType.queue) {
                    queueWatch.observe(s.name(), new java.util.LinkedHashMap<>(queues.stats(s.name())), java.time.Instant.now());
                }
            }
        } catch (Exception e) {
            log.debug("Queue subscriptions not read this time reason={}", e.getMessage());
        }
    }

    /** Creates a subscription, or confirms an identical one exists; a different one by that name is a conflict. */
    public synchronized Outcome create(Subscription request) {
        Subscription s = validate(request);
        Optional<SubscriptionStore.Stored> existing = store.find(s.name());
        if (existing.isPresent()) {
            if (existing.get().subscription().equals(s)) {
                return Outcome.UNCHANGED;
            }
            throw new IllegalStateException("subscription " + s.name() + " exists with another definition; change it with PUT");
        }
        if (isKafka(s)) {
            onKafka("create the topic of", s.name(), () -> kafka.create(s.name(), types(s.types())));
        } else {
            applyToBroker(s, false);
        }
        store.insert(s);
        startDelivery(s);
        log.info("Subscription created name={} owner={} types={} assetFilter={} delivery={}", s.name(), s.owner(),
                s.types(), s.assetFilter(), s.delivery().type());
        return Outcome.CREATED;
    }

    /** Replaces the definition of an existing subscription; its backlog stays. */
    public synchronized void replace(String name, Subscription request) {
        Subscription s = validate(request);
        if (!s.name().equals(name)) {
            throw InvalidEventException.field("name", s.name(), "must equal the name in the path (" + name + ")");
        }
        SubscriptionStore.Stored existing = find(name);
        if (existing.subscription().delivery().type() != s.delivery().type()) {
            throw InvalidEventException.field("delivery.type", s.delivery().type(),
                    "cannot change from " + existing.subscription().delivery().type() + "; delete and create the subscription");
        }
        if (isKafka(s)) {
            onKafka("start the new types of", s.name(), () -> kafka.changeTypes(s.name(), types(s.types())));
        } else {
            applyToBroker(s, true);
        }
        store.update(s);
        if (!existing.paused() || !isKafka(s)) {
            startDelivery(s);
        }
        log.info("Subscription changed name={} types={} assetFilter={}", s.name(), s.types(), s.assetFilter());
    }

    public synchronized void delete(String name) {
        if (isKafka(find(name).subscription())) {
            onKafka("delete the topic of", name, () -> kafka.remove(name));
            store.delete(name);
            log.info("Subscription deleted name={}", name);
            return;
        }
        webhooks.remove(name);
        queueWatch.forget(name);
        try {
            queues.remove(name);
        } catch (Exception e) {
            throw new BrokerUnavailableException("Artemis did not remove the queue of subscription " + name + ": " + e.getMessage(), e);
        }
        store.delete(name);
        log.info("Subscription deleted name={}", name);
    }

    public synchronized void pause(String name, boolean paused) {
        Subscription s = find(name).subscription();
        if (isKafka(s)) {
            // the group keeps its place: a resumed forwarder goes on where it stopped
            if (paused) {
                kafka.stop(name);
            } else {
                startDelivery(s);
            }
            store.setPaused(name, paused);
            log.info("Subscription {} name={}", paused ? "paused" : "resumed", name);
            return;
        }
        try {
            if (paused) {
                queues.pause(name);
            } else {
                queues.resume(name);
            }
        } catch (Exception e) {
            throw new BrokerUnavailableException("Artemis did not " + (paused ? "pause" : "resume") + " subscription " + name
                    + ": " + e.getMessage(), e);
        }
        store.setPaused(name, paused);
        log.info("Subscription {} name={}", paused ? "paused" : "resumed", name);
    }

    public List<Status> list() {
        return store.list().stream().map(this::status).toList();
    }

    public Status get(String name) {
        return status(find(name));
    }

    private Status status(SubscriptionStore.Stored stored) {
        Subscription s = stored.subscription();
        Map<String, Object> figures;
        try {
            figures = isKafka(s) ? kafka.stats(s.name(), types(s.types())) : queues.stats(s.name());
        } catch (Exception e) {
            figures = Map.of("error", (isKafka(s) ? "Kafka" : "Artemis") + " unavailable: " + e.getMessage());
        }
        figures = new java.util.LinkedHashMap<>(figures);
        if (s.delivery().type() == Subscription.DeliveryType.queue) {
            figures = queueWatch.observe(s.name(), figures, java.time.Instant.now());
        }
        figures.remove("consumerLastAcknowledged");
        if (s.delivery().type() == Subscription.DeliveryType.webhook) {
            figures.putAll(webhooks.figures(s.name()));
        }
        // the bound of the backlog, so that a subscriber sees how far it may fall behind
        figures.put("backlogLimitBytes", properties.backlogLimit().toBytes());
        figures.put("backlogFullPolicy", isKafka(s) ? "DELETE_OLDEST" : properties.backlogFullPolicy().name());
        return new Status(s.redacted(), stored.paused(), SubscriptionQueues.queueName(s.name()), figures);
    }

    /** The subscription's dead letters (webhook deliveries), all or those with the given status. */
    public List<WebhookDeadLetters.Entry> deadLetters(String name, String status) {
        find(name);
        return webhooks.deadLetters(name, status);
    }

    /** Puts a dead letter back into the subscription's queue, once. */
    public WebhookDeadLetters.Entry resend(String name, long id) {
        find(name);
        return webhooks.resend(name, id);
    }

    private void startDelivery(Subscription s) {
        if (s.delivery().type() == Subscription.DeliveryType.webhook) {
            webhooks.start(s.name(), s.delivery());
        } else if (isKafka(s)) {
            kafka.start(s.name(), types(s.types()), AssetFilter.parse(s.assetFilter()), FieldFilter.parse(s.filter()));
        }
    }

    /** At start: the topic of a Kafka subscription is made sure of; Kafka being away is no reason to hold back the others. */
    private void ensureKafkaTopic(Subscription s) {
        try {
            kafka.create(s.name(), types(s.types()));
        } catch (Exception e) {
            log.warn("Kafka subscription topic not checked at start; its forwarder retries subscription={} reason={}",
                    s.name(), e.getMessage());
        }
    }

    private static boolean isKafka(Subscription s) {
        return s.delivery().type() == Subscription.DeliveryType.kafka;
    }

    private interface KafkaWork {
        void run() throws Exception;
    }

    private static void onKafka(String what, String name, KafkaWork work) {
        try {
            work.run();
        } catch (Exception e) {
            throw new BrokerUnavailableException("Kafka did not " + what + " subscription " + name + ": " + e.getMessage(), e);
        }
    }

    private SubscriptionStore.Stored find(String name) {
        return store.find(name).orElseThrow(() -> new SubscriptionNotFoundException(name));
    }

    private void boundBacklogs() throws Exception {
        queues.boundBacklogs(properties.backlogMemory().toBytes(), properties.backlogLimit().toBytes(),
                properties.backlogFullPolicy());
    }

    private void applyToBroker(Subscription s, boolean replace) {
        try {
            boundBacklogs();
            queues.apply(s.name(), types(s.types()), AssetFilter.parse(s.assetFilter()), FieldFilter.parse(s.filter()), replace);
        } catch (Exception e) {
            throw new BrokerUnavailableException("Artemis did not set up the queue of subscription " + s.name() + ": " + e.getMessage(), e);
        }
    }

    /** Checks every field; the first bad one throws naming it and the reason. Returns the normalized subscription. */
    static Subscription validate(Subscription s) {
        if (s == null) {
            throw InvalidEventException.field("body", null, "is required");
        }
        String name = InvalidEventException.required("name", s.name());
        if (!NAME.matcher(name).matches()) {
            throw InvalidEventException.field("name", name, "must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        InvalidEventException.required("owner", s.owner());
        if (s.types() == null || s.types().isEmpty()) {
            throw InvalidEventException.field("types", s.types(), "must name at least one event type");
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < s.types().size(); i++) {
            String type = s.types().get(i);
            EventType known = byName(type);
            if (known == null) {
                throw InvalidEventException.field("types[" + i + "]", type, "is not an event type; known: " + subscribable());
            }
            if (!known.isDurable()) {
                throw InvalidEventException.field("types[" + i + "]", type,
                        "is telemetry, not kept for a subscriber that is away; read the Kafka topic " + known.destination());
            }
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        AssetFilter.parse(s.assetFilter());
        FieldFilter.parse(s.filter());
        Subscription.Delivery delivery = s.delivery();
        if (delivery == null || delivery.type() == null) {
            throw InvalidEventException.field("delivery.type", null, "is required: queue, kafka or webhook");
        }
        Subscription.Delivery normalized = switch (delivery.type()) {
            case webhook -> webhook(delivery);
            case queue, kafka -> new Subscription.Delivery(delivery.type(), null, null, null);
        };
        return new Subscription(name, s.owner(), List.copyOf(types), s.assetFilter(), FieldFilter.normalize(s.filter()), normalized);
    }

    private static Subscription.Delivery webhook(Subscription.Delivery delivery) {
        String url = InvalidEventException.required("delivery.url", delivery.url());
        try {
            java.net.URI uri = java.net.URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw InvalidEventException.field("delivery.url", url, "must be an absolute http or https URL");
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidEventException invalid) {
                throw invalid;
            }
            throw InvalidEventException.field("delivery.url", url, "is not a URL: " + e.getMessage());
        }
        String secret = delivery.secret();
        if (secret == null || secret.length() < 16) {
            // the value itself is never echoed back
            throw InvalidEventException.field("delivery.secret", "(hidden)", "is required, at least 16 characters");
        }
        String mode = delivery.mode() == null ? "structured" : delivery.mode();
        if (!mode.equals("structured") && !mode.equals("binary")) {
            throw InvalidEventException.field("delivery.mode", mode, "must be structured or binary");
        }
        return new Subscription.Delivery(delivery.type(), url, secret, mode);
    }

    private static EventType byName(String name) {
        for (EventType type : EventType.values()) {
            if (type.eventName().equals(name)) {
                return type;
            }
        }
        return null;
    }

    private static List<String> subscribable() {
        return EnumSet.allOf(EventType.class).stream().filter(EventType::isDurable).map(EventType::eventName).toList();
    }

    static Set<EventType> types(List<String> names) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        names.forEach(n -> types.add(byName(n)));
        return types;
    }

    /** No subscription by that name. */
    static class SubscriptionNotFoundException extends RuntimeException {
        SubscriptionNotFoundException(String name) {
            super("subscription " + name + " does not exist");
        }
    }

    /** The broker did not do what the registry asked; nothing was stored. */
    static class BrokerUnavailableException extends RuntimeException {
        BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
