package io.millwright.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.enrich.AssetPosition;
import io.millwright.enrich.AssetRegistry;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.IsoInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The plant as the live views show it, projected from the canonical events of the live feed: each
 * machine's state, order operation and counts, and the open alerts and maintenance requests. The
 * machines the asset registry names are there from the start (state unknown until the first event);
 * assets mapped by rules join with their first event. In memory: a restart starts from the registry
 * and fills in as machines report (the simulated plant and OPC UA servers report every state on
 * subscription).
 */
@Component
class PlantView {

    /** An open alert or maintenance request, as the dashboard lists it. */
    record OpenAlert(String id, String kind, String severity, String summary, String asset, Instant since) {}

    private static final class Machine {
        final String path;
        String state;
        Instant since;
        String orderId;
        String operation;
        long good;
        long scrap;
        Instant updatedAt;

        Machine(String path) {
            this.path = path;
        }
    }

    private final AssetRegistry registry;
    private final ObjectMapper objectMapper;
    private final Map<String, Machine> machines = new TreeMap<>();
    private final Map<String, OpenAlert> alerts = new LinkedHashMap<>();
    private final Map<String, AtomicLong> eventsByType = new TreeMap<>();
    private Instant lastEventAt;

    PlantView(AssetRegistry registry, ObjectMapper objectMapper) {
        this.registry = registry;
        this.objectMapper = objectMapper;
    }

    /** Applies a batch of events from the live feed; returns what each changed, in order. */
    synchronized List<LiveUpdate> apply(List<EventEnvelope<?>> events) {
        List<LiveUpdate> updates = new ArrayList<>(events.size());
        for (EventEnvelope<?> event : events) {
            updates.add(new LiveUpdate(event, applyOne(event)));
        }
        return updates;
    }

    private AssetState applyOne(EventEnvelope<?> event) {
        EventType type = EventType.ofCloudEventType(event.type());
        eventsByType.computeIfAbsent(type.eventName(), t -> new AtomicLong()).incrementAndGet();
        lastEventAt = event.receivedtime() != null ? event.receivedtime() : Instant.now();
        JsonNode data = objectMapper.valueToTree(event.data());
        String subject = event.subject();
        Instant time = event.time() != null ? event.time() : lastEventAt;
        switch (type) {
            case MACHINE_STATE -> {
                Machine machine = machine(subject);
                machine.state = data.path("state").asText(null);
                machine.since = time;
                orderContext(machine, data);
                return touch(machine);
            }
            case PRODUCTION_COUNT -> {
                Machine machine = machine(subject);
                long delta = data.path("delta").asLong();
                if ("SCRAP".equals(data.path("counter").asText())) {
                    machine.scrap += delta;
                } else {
                    machine.good += delta;
                }
                orderContext(machine, data);
                return touch(machine);
            }
            case ORDER_STARTED -> {
                Machine machine = machine(subject);
                orderContext(machine, data);
                return touch(machine);
            }
            case ALERT -> {
                String id = data.path("alertId").asText();
                if ("CLEARED".equals(data.path("status").asText())) {
                    alerts.remove(id);
                } else {
                    alerts.put(id, new OpenAlert(id, "alert", data.path("severity").asText(null),
                            data.path("summary").asText(null), subject, instant(data.path("since"), time)));
                }
                return subject == null ? null : touch(machine(subject));
            }
            case MAINTENANCE_REQUEST -> {
                String id = data.path("requestId").asText();
                if ("CLEARED".equals(data.path("status").asText())) {
                    alerts.remove(id);
                } else {
                    alerts.put(id, new OpenAlert(id, "maintenance", "warning",
                            "Maintenance needed: " + data.path("reason").asText(data.path("tag").asText("")), subject,
                            instant(data.path("anomalousSince"), time)));
                }
                return subject == null ? null : touch(machine(subject));
            }
            default -> {
                return null;
            }
        }
    }

    private static void orderContext(Machine machine, JsonNode data) {
        if (data.hasNonNull("orderId")) {
            machine.orderId = data.get("orderId").asText();
        }
        if (data.hasNonNull("operation")) {
            machine.operation = data.get("operation").asText();
        }
    }

    private static Instant instant(JsonNode node, Instant fallback) {
        if (node.isTextual()) {
            return IsoInstants.parse(node.asText());
        }
        if (node.isNumber()) {
            // Jackson writes an Instant as seconds with fraction when dates-as-timestamps is on
            return Instant.ofEpochMilli(Math.round(node.asDouble() * 1000));
        }
        return fallback;
    }

    private Machine machine(String path) {
        return machines.computeIfAbsent(path, Machine::new);
    }

    private AssetState touch(Machine machine) {
        machine.updatedAt = Instant.now();
        return state(machine, registry.assetPositions());
    }

    private AssetState state(Machine machine, Map<String, AssetPosition> positions) {
        int open = 0;
        for (OpenAlert alert : alerts.values()) {
            if (machine.path.equals(alert.asset())) {
                open++;
            }
        }
        int slash = machine.path.lastIndexOf('/');
        return new AssetState(machine.path, slash < 0 ? "" : machine.path.substring(0, slash), machine.path.substring(slash + 1),
                machine.state, machine.since, machine.orderId, machine.operation, machine.good, machine.scrap, open,
                positions.get(machine.path), machine.updatedAt);
    }

    /** Every machine, the registry's first (in path order), then those only events named. */
    synchronized List<AssetState> assets() {
        Map<String, AssetPosition> positions = registry.assetPositions();
        positions.keySet().forEach(this::machine);
        return machines.values().stream().map(machine -> state(machine, positions)).toList();
    }

    /** Open alerts and maintenance requests, newest first. */
    synchronized List<OpenAlert> openAlerts() {
        List<OpenAlert> open = new ArrayList<>(alerts.values());
        open.sort(Comparator.comparing(OpenAlert::since, Comparator.nullsLast(Comparator.reverseOrder())));
        return open;
    }

    /** Events seen per type name since the hub started (evidence for the maturity scores). */
    synchronized Map<String, Long> eventCounts() {
        Map<String, Long> counts = new TreeMap<>();
        eventsByType.forEach((type, count) -> counts.put(type, count.get()));
        return counts;
    }

    synchronized Instant lastEventAt() {
        return lastEventAt;
    }
}
