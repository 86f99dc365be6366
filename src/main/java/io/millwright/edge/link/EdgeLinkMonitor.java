package io.millwright.edge.link;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.cluster.Bridge;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * What the edge link is doing, read from the edge's broker: the buffer's fill level (events,
 * bytes, share of the limit), the oldest waiting event's age, link up or down, events forwarded
 * (confirmed by the central broker) and dropped (pushed out as oldest, or older than the age limit).
 * As Micrometer meters {@code millwright.edge.link.*} and as health component {@code edgeLink}:
 * {@code UP} while the link is connected, {@code LINK_DOWN} (HTTP 200: the edge keeps collecting
 * into its buffer) while it is not, {@code DOWN} when the buffer is full.
 */
public class EdgeLinkMonitor implements HealthIndicator {

    /** Health status while the central hub cannot be reached; the edge is fine and buffering. */
    public static final Status LINK_DOWN = new Status("LINK_DOWN", "the central hub is not reachable; events wait in the buffer");

    /** A moment of the link. */
    public record Snapshot(boolean up, long messages, long bytes, long oldestAgeMillis, long forwarded,
            long droppedOldest, long expired, double fill) {}

    private final Supplier<ActiveMQServer> server;
    private final EdgeLinkProperties.Buffer limits;

    public EdgeLinkMonitor(Supplier<ActiveMQServer> server, EdgeLinkProperties.Buffer limits) {
        this.server = server;
        this.limits = limits;
    }

    /** The link now; zeros before the broker has created its parts. */
    public Snapshot snapshot() {
        ActiveMQServer broker = server.get();
        Queue outbox = broker.locateQueue(SimpleString.of(EdgeLink.OUTBOX));
        Bridge bridge = broker.getClusterManager() == null ? null : broker.getClusterManager().getBridges().get(EdgeLink.BRIDGE);
        boolean up = bridge != null && bridge.isConnected();
        long forwarded = bridge == null ? 0 : bridge.getMetrics().getMessagesAcknowledged();
        if (outbox == null) {
            return new Snapshot(up, 0, 0, 0, forwarded, 0, 0, 0);
        }
        long messages = outbox.getMessageCount();
        long bytes = outbox.getPersistentSize();
        MessageReference first = outbox.peekFirstMessage();
        long oldest = first == null || first.getMessage().getTimestamp() == 0
                ? 0 : Math.max(0, System.currentTimeMillis() - first.getMessage().getTimestamp());
        double fill = Math.max((double) messages / limits.maxMessages(), (double) bytes / (limits.memory().toBytes() + limits.maxBytes().toBytes()));
        return new Snapshot(up, messages, bytes, oldest, forwarded, outbox.getMessagesReplaced(), outbox.getMessagesExpired(), fill);
    }

    @Override
    public Health health() {
        Snapshot now = snapshot();
        Status status = now.fill() >= 1.0 ? Status.DOWN : now.up() ? Status.UP : LINK_DOWN;
        return Health.status(status)
                .withDetail("link", now.up() ? "up" : "down")
                .withDetail("bufferedEvents", now.messages())
                .withDetail("bufferedBytes", now.bytes())
                .withDetail("bufferFill", Math.round(now.fill() * 1000) / 10.0 + " %")
                .withDetail("oldestEventAgeSeconds", now.oldestAgeMillis() / 1000.0)
                .withDetail("forwarded", now.forwarded())
                .withDetail("droppedOldest", now.droppedOldest())
                .withDetail("expired", now.expired())
                .withDetail("fullPolicy", limits.fullPolicy())
                .build();
    }

    /** Registers the meters; each reads the broker when scraped. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("millwright.edge.link.up", this, m -> m.snapshot().up() ? 1 : 0)
                .description("1 while the edge is connected to the central hub's broker").register(registry);
        Gauge.builder("millwright.edge.link.buffer.events", this, m -> m.snapshot().messages())
                .description("events waiting in the edge's buffer").register(registry);
        Gauge.builder("millwright.edge.link.buffer.bytes", this, m -> m.snapshot().bytes())
                .description("bytes of the events waiting in the edge's buffer").baseUnit("bytes").register(registry);
        Gauge.builder("millwright.edge.link.buffer.fill", this, m -> m.snapshot().fill())
                .description("share of the buffer's limit in use (events or bytes, whichever is higher); 1 = full").register(registry);
        Gauge.builder("millwright.edge.link.buffer.oldest.age", this, m -> m.snapshot().oldestAgeMillis() / 1000.0)
                .description("age of the oldest event waiting in the edge's buffer").baseUnit("seconds").register(registry);
        FunctionCounter.builder("millwright.edge.link.forwarded", this, m -> m.snapshot().forwarded())
                .description("events the central hub's broker confirmed since the edge started").register(registry);
        FunctionCounter.builder("millwright.edge.link.dropped", this, m -> m.snapshot().droppedOldest())
                .tag("reason", "oldest").description("events pushed out of the full buffer").register(registry);
        FunctionCounter.builder("millwright.edge.link.dropped", this, m -> m.snapshot().expired())
                .tag("reason", "expired").description("events older than the buffer's max-age").register(registry);
    }
}
