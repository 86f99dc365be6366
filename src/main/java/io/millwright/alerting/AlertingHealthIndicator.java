package io.millwright.alerting;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code alerting}: DOWN when the rules file could not be used (no rule is
 * evaluated; the reason names the file, rule and field) or the webhook's last delivery failed.
 */
class AlertingHealthIndicator extends AbstractHealthIndicator {

    private final AlertEngine engine;
    private final String rulesFailure;
    private final WebhookChannel webhook;

    AlertingHealthIndicator(AlertEngine engine, String rulesFailure, WebhookChannel webhook) {
        super("Alerting health check failed");
        this.engine = engine;
        this.rulesFailure = rulesFailure;
        this.webhook = webhook;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (rulesFailure != null) {
            builder.down().withDetail("rules", rulesFailure);
        } else if (webhook.lastFailure() != null) {
            builder.down().withDetail("webhook", webhook.lastFailure()).withDetail("failedAt", String.valueOf(webhook.lastFailureAt()));
        } else {
            builder.up();
        }
        builder.withDetail("activeRules", engine.rules().size())
                .withDetail("openAlerts", engine.openAlerts())
                .withDetail("webhookConfigured", webhook.configured())
                .withDetail("webhookSent", webhook.sent())
                .withDetail("webhookFailed", webhook.failed());
    }
}
