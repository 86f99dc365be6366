package io.millwright.ot;

import io.millwright.ot.opcua.OpcUaConnectionStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code opcua}: UP while every enabled connection has its session, DOWN when one
 * has none; the details per connection (session, items requested/created/failed with the status of
 * failed ones, time to create them, hand-off figures) come from {@link OpcUaConnectionStatus#details()}.
 *
 * <p>In a cluster a standby keeps a connection's route stopped while another instance runs it: that
 * connection has no session by design. It is shown with {@code role: standby} and does not turn the
 * component DOWN; without this every standby's {@code /actuator/health} answered 503.
 */
class OpcUaHealthIndicator extends AbstractHealthIndicator {

    private final OpcUaSubscriptionComponent component;
    private final OpcUaConnectionReloader reloader;
    private final Predicate<String> standby;

    OpcUaHealthIndicator(OpcUaSubscriptionComponent component, OpcUaConnectionReloader reloader) {
        this(component, reloader, connection -> false);
    }

    /** @param standby whether this instance is a standby for a connection (cluster: its route runs elsewhere) */
    OpcUaHealthIndicator(OpcUaSubscriptionComponent component, OpcUaConnectionReloader reloader, Predicate<String> standby) {
        super("OPC UA health check failed");
        this.component = component;
        this.reloader = reloader;
        this.standby = standby;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allConnected = true;
        for (OpcUaConnectionStatus status : component.statuses().values()) {
            if (standby.test(status.connection())) {
                Map<String, Object> details = new java.util.LinkedHashMap<>();
                details.put("role", "standby");
                details.putAll(status.details());
                builder.withDetail(status.connection(), details);
                continue;
            }
            allConnected &= status.isConnected();
            builder.withDetail(status.connection(), status.details());
        }
        Map<Path, String> rejected = reloader == null ? Map.of() : reloader.rejected();
        if (!rejected.isEmpty()) {
            Map<String, String> files = new TreeMap<>();
            rejected.forEach((file, reason) -> files.put(file.toString(), reason));
            // the connections run as before; the detail says which file change was refused and why
            builder.withDetail("rejectedFiles", files);
        }
        if (allConnected) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
