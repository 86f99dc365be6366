package io.millwright.subscriptions;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Micrometer meters of the subscriptions, tagged {@code subscription}: what was delivered, the
 * failed attempts, the lag of the last delivery and (webhooks) what was dead-lettered. One place
 * for every delivery kind (webhook, Kafka), registered when a subscription first starts and removed
 * with it. Without a registry (no actuator) it registers nothing. Micrometer holds the figures
 * weakly: their owner (the deliveries' figures map) keeps them.
 */
final class SubscriptionMeters {

    /** A subscription's figures and what its delivery kind calls them. */
    record Figures(AtomicLong delivered, String deliveredDescription, AtomicLong failedAttempts,
            String failedDescription, AtomicLong lagMillis, AtomicLong deadLettered) {}

    private final MeterRegistry meters;
    private final Map<String, List<Meter>> registered = new ConcurrentHashMap<>();

    SubscriptionMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void register(String name, Figures figures) {
        if (meters == null) {
            return;
        }
        List<Meter> list = new ArrayList<>();
        list.add(FunctionCounter.builder("millwright.subscription.delivered", figures.delivered(), AtomicLong::get)
                .tag("subscription", name).description(figures.deliveredDescription()).register(meters));
        if (figures.deadLettered() != null) {
            list.add(FunctionCounter.builder("millwright.subscription.dead.lettered", figures.deadLettered(), AtomicLong::get)
                    .tag("subscription", name).description("Events dead-lettered after every attempt").register(meters));
        }
        list.add(FunctionCounter.builder("millwright.subscription.failed.attempts", figures.failedAttempts(), AtomicLong::get)
                .tag("subscription", name).description(figures.failedDescription()).register(meters));
        list.add(Gauge.builder("millwright.subscription.lag", figures.lagMillis(), AtomicLong::get)
                .tag("subscription", name).baseUnit("milliseconds")
                .description("From the hub receiving the last delivered event to its delivery").register(meters));
        registered.put(name, list);
    }

    /** Removes the subscription's meters (it was deleted). */
    void remove(String name) {
        List<Meter> gone = registered.remove(name);
        if (gone != null && meters != null) {
            gone.forEach(meters::remove);
        }
    }
}
