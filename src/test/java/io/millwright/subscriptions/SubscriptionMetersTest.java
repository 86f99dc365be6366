package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The subscriptions' meters, one registration for webhook and Kafka deliveries: each reads the
 * live figures, is tagged with its subscription, and goes when the subscription is deleted (a
 * deleted subscription must not keep reporting, nor a new one of the same name read old figures).
 */
class SubscriptionMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SubscriptionMeters meters = new SubscriptionMeters(registry);
    // Micrometer holds a function counter's object weakly: the figures live as long as their owner
    // (the deliveries' figures map in the hub, this field here)
    private final AtomicLong otherDelivered = new AtomicLong(7);

    @Test
    void webhookFiguresReadLive_andRemovedWithTheSubscription() {
        AtomicLong delivered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lag = new AtomicLong();
        AtomicLong dead = new AtomicLong();
        meters.register("line-1", new SubscriptionMeters.Figures(delivered, "taken", failed, "failed", lag, dead));
        meters.register("line-2", new SubscriptionMeters.Figures(otherDelivered, "taken", new AtomicLong(), "failed",
                new AtomicLong(), new AtomicLong()));

        delivered.addAndGet(3);
        failed.incrementAndGet();
        lag.set(250);
        dead.set(2);

        assertThat(registry.get("millwright.subscription.delivered").tag("subscription", "line-1").functionCounter().count())
                .isEqualTo(3.0);
        assertThat(registry.get("millwright.subscription.failed.attempts").tag("subscription", "line-1").functionCounter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("millwright.subscription.lag").tag("subscription", "line-1").gauge().value()).isEqualTo(250.0);
        assertThat(registry.get("millwright.subscription.dead.lettered").tag("subscription", "line-1").functionCounter()
                .count()).isEqualTo(2.0);

        meters.remove("line-1");

        assertThat(registry.find("millwright.subscription.delivered").tag("subscription", "line-1").meters()).isEmpty();
        assertThat(registry.find("millwright.subscription.lag").tag("subscription", "line-1").meters()).isEmpty();
        // control: the other subscription keeps its meters
        assertThat(registry.get("millwright.subscription.delivered").tag("subscription", "line-2").functionCounter().count())
                .isEqualTo(7.0);
        assertThat(registry.find("millwright.subscription.delivered").meters()).hasSize(1);
    }

    @Test
    void kafkaFiguresHaveNoDeadLetterMeter() {
        meters.register("erp-feed", new SubscriptionMeters.Figures(new AtomicLong(), "forwarded", new AtomicLong(),
                "failed", new AtomicLong(), null));

        assertThat(registry.find("millwright.subscription.delivered").tag("subscription", "erp-feed").meters()).hasSize(1);
        assertThat(registry.find("millwright.subscription.dead.lettered").meters()).isEmpty();
    }

    @Test
    void nothingRegistered_withoutARegistry() {
        SubscriptionMeters none = new SubscriptionMeters(null);
        none.register("line-1", new SubscriptionMeters.Figures(new AtomicLong(), "taken", new AtomicLong(), "failed",
                new AtomicLong(), null));
        none.remove("line-1");
        assertThat(registry.getMeters()).isEmpty();
    }
}
