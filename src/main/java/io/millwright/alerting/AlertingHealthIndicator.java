package io.millwright.alerting;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code alerting}: DOWN when the rules file could not be used (no rule is
 * evaluated; the reason names the file, rule and field), the channels file could not be used, or a
 * channel's last delivery failed. Each channel shows its kind, what it sent and what it could not.
 */
class AlertingHealthIndicator extends AbstractHealthIndicator {

    private final AlertEngine engine;
    private final String rulesFailure;
    private final AlertingConfiguration.LoadedChannels channels;

    AlertingHealthIndicator(AlertEngine engine, String rulesFailure, AlertingConfiguration.LoadedChannels channels) {
        super("Alerting health check failed");
        this.engine = engine;
        this.rulesFailure = rulesFailure;
        this.channels = channels;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up();
        if (rulesFailure != null) {
            builder.down().withDetail("rules", rulesFailure);
        }
        if (channels.failure() != null) {
            builder.down().withDetail("channelsFile", channels.failure());
        }
        Map<String, Object> perChannel = new LinkedHashMap<>();
        for (AlertChannel channel : channels.channels()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("kind", channel.kind());
            detail.put("sent", channel.sent());
            detail.put("failed", channel.failed());
            if (channel.lastFailure() != null) {
                builder.down();
                detail.put("lastFailure", channel.lastFailure());
                detail.put("failedAt", String.valueOf(channel.lastFailureAt()));
            }
            perChannel.put(channel.name(), detail);
        }
        builder.withDetail("activeRules", engine.rules().size())
                .withDetail("openAlerts", engine.openAlerts())
                .withDetail("channels", perChannel);
    }
}
