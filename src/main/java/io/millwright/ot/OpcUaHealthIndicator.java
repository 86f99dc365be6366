package io.millwright.ot;

import io.millwright.ot.opcua.OpcUaConnectionStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code opcua}: UP while every enabled connection has its session, DOWN when one
 * has none; the details per connection (session, items requested/created/failed with the status of
 * failed ones, time to create them, hand-off figures) come from {@link OpcUaConnectionStatus#details()}.
 */
class OpcUaHealthIndicator extends AbstractHealthIndicator {

    private final OpcUaSubscriptionComponent component;
    private final OpcUaConnectionReloader reloader;

    OpcUaHealthIndicator(OpcUaSubscriptionComponent component, OpcUaConnectionReloader reloader) {
        super("OPC UA health check failed");
        this.component = component;
        this.reloader = reloader;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allConnected = true;
        for (OpcUaConnectionStatus status : component.statuses().values()) {
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
