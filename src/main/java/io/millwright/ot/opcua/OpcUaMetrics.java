package io.millwright.ot.opcua;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one connection, all tagged {@code connection=<id>}, read from its
 * {@link OpcUaConnectionStatus} (the hot path increments plain adders, never a meter):
 *
 * <pre>
 * millwright.ot.opcua.changes           counter  changes received from the server
 * millwright.ot.opcua.handoff.depth     gauge    changes waiting for the route
 * millwright.ot.opcua.handoff.capacity  gauge    the hand-off's capacity
 * millwright.ot.opcua.handoff.dropped   counter  changes dropped (drop-oldest, or left at stop)
 * millwright.ot.opcua.handoff.blocked   timer    waits of the notification thread for room (block)
 * millwright.ot.opcua.connected         gauge    1 while the session is active
 * millwright.ot.opcua.items{state}      gauge    monitored items requested, created, failed
 * millwright.ot.opcua.reconnects        counter  sessions re-established after a loss (each one a data gap)
 * millwright.ot.opcua.stale             counter  nodes flagged stale by the watchdog (stale-after)
 * </pre>
 */
public final class OpcUaMetrics {

    private static final String PREFIX = "millwright.ot.opcua.";

    private OpcUaMetrics() {}

    static void bind(MeterRegistry registry, OpcUaConnectionStatus status) {
        String c = status.connection();
        FunctionCounter.builder(PREFIX + "changes", status, OpcUaConnectionStatus::received)
                .tag("connection", c)
                .description("OPC UA value changes received from the server")
                .register(registry);
        Gauge.builder(PREFIX + "handoff.depth", status, OpcUaConnectionStatus::handoffDepth)
                .tag("connection", c)
                .description("OPC UA changes waiting in the hand-off for the route")
                .register(registry);
        Gauge.builder(PREFIX + "handoff.capacity", status, OpcUaConnectionStatus::handoffCapacity)
                .tag("connection", c)
                .register(registry);
        FunctionCounter.builder(PREFIX + "handoff.dropped", status, OpcUaConnectionStatus::dropped)
                .tag("connection", c)
                .description("OPC UA changes dropped because the hand-off was full or the consumer stopped")
                .register(registry);
        FunctionTimer.builder(PREFIX + "handoff.blocked", status,
                        OpcUaConnectionStatus::blockedCount, OpcUaConnectionStatus::blockedNanos, TimeUnit.NANOSECONDS)
                .tag("connection", c)
                .description("Waits of Milo's notification thread for room in the hand-off")
                .register(registry);
        Gauge.builder(PREFIX + "connected", status, s -> s.isConnected() ? 1 : 0)
                .tag("connection", c)
                .register(registry);
        FunctionCounter.builder(PREFIX + "reconnects", status, OpcUaConnectionStatus::reconnects)
                .tag("connection", c)
                .description("OPC UA sessions re-established after a loss; each is a data-gap event")
                .register(registry);
        FunctionCounter.builder(PREFIX + "stale", status, OpcUaConnectionStatus::staleFlagged)
                .tag("connection", c)
                .description("OPC UA nodes flagged stale: silent for stale-after publishing intervals while connected")
                .register(registry);
        Gauge.builder(PREFIX + "items", status, OpcUaConnectionStatus::requested)
                .tags("connection", c, "state", "requested")
                .register(registry);
        Gauge.builder(PREFIX + "items", status, OpcUaConnectionStatus::created)
                .tags("connection", c, "state", "created")
                .register(registry);
        Gauge.builder(PREFIX + "items", status, OpcUaConnectionStatus::failed)
                .tags("connection", c, "state", "failed")
                .register(registry);
    }
}
