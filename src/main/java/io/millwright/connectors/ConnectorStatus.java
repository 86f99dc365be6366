package io.millwright.connectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connector has done since start: delivered, skipped by its condition, retried,
 * dead-lettered, and the last delivery and error. Counted in Micrometer as
 * {@code millwright.connector.deliveries{connector, system, outcome}} and
 * {@code millwright.connector.retries{connector}}.
 */
final class ConnectorStatus {

    private final ConnectorDefinition connector;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Counter deliveredCounter;
    private final Counter skippedCounter;
    private final Counter deadLetteredCounter;
    private final Counter retriedCounter;
    private volatile Instant lastDelivery;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    ConnectorStatus(ConnectorDefinition connector, MeterRegistry meters) {
        this.connector = connector;
        this.deliveredCounter = deliveries(meters, "delivered");
        this.skippedCounter = deliveries(meters, "skipped");
        this.deadLetteredCounter = deliveries(meters, "dead-lettered");
        this.retriedCounter = Counter.builder("millwright.connector.retries").tag("connector", connector.name())
                .description("Deliveries tried again after a transient failure").register(meters);
    }

    private Counter deliveries(MeterRegistry meters, String outcome) {
        return Counter.builder("millwright.connector.deliveries").tag("connector", connector.name())
                .tag("system", connector.system()).tag("outcome", outcome)
                .description("Events a connector delivered, skipped by its condition, or dead-lettered").register(meters);
    }

    void delivered() {
        delivered.incrementAndGet();
        deliveredCounter.increment();
        lastDelivery = Instant.now();
    }

    void skipped() {
        skipped.incrementAndGet();
        skippedCounter.increment();
    }

    void retried(String reason) {
        retried.incrementAndGet();
        retriedCounter.increment();
        error(reason);
    }

    void deadLettered(String reason) {
        deadLettered.incrementAndGet();
        deadLetteredCounter.increment();
        error(reason);
    }

    private void error(String reason) {
        lastError = reason;
        lastErrorAt = Instant.now();
    }

    long deadLetteredCount() {
        return deadLettered.get();
    }

    Map<String, Object> describe() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", connector.name());
        details.put("system", connector.system());
        if (connector.outcome() != null) {
            details.put("outcome", connector.outcome());
        }
        details.put("on", connector.on().stream().map(t -> t.eventName()).toList());
        details.put("target", connector.request().method() + " " + connector.request().url());
        details.put("auth", connector.auth().type());
        details.put("delivered", delivered.get());
        details.put("skipped", skipped.get());
        details.put("retried", retried.get());
        details.put("deadLettered", deadLettered.get());
        details.put("lastDelivery", lastDelivery == null ? null : lastDelivery.toString());
        details.put("lastError", lastError);
        details.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        return details;
    }
}
