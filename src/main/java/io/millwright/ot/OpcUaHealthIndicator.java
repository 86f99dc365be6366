package io.millwright.ot;

import io.millwright.ot.opcua.OpcUaConnectionStatus;
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

    OpcUaHealthIndicator(OpcUaSubscriptionComponent component) {
        super("OPC UA health check failed");
        this.component = component;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allConnected = true;
        for (OpcUaConnectionStatus status : component.statuses().values()) {
            allConnected &= status.isConnected();
            builder.withDetail(status.connection(), status.details());
        }
        if (allConnected) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
