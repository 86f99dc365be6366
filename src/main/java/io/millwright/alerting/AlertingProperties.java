package io.millwright.alerting;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of alerting, {@code millwright.alerting.*}.
 *
 * @param enabled evaluate the alert rules (false: no alerting consumer runs)
 * @param consumerGroup its Kafka consumer group (starts at the latest records)
 * @param rulesFile the rules integrators edit
 * @param webhookUrl where raised and cleared alerts are POSTed as CloudEvents JSON; blank = no webhook.
 *     From the environment ({@code MILLWRIGHT_ALERT_WEBHOOK_URL}) when it carries a token; never logged.
 * @param webhookTimeout one POST (webhook and chat channels), one SMTP connection (mail channels)
 * @param webhookAttempts tries per alert of the webhook and chat channels before it is given up (and counted in health)
 * @param channelsFile the mail, Artemis, chat and further webhook channels integrators edit; absent = none
 * @param additionalRulesFiles further rules files, read after {@code rulesFile}: those of the solution
 *     templates switched on ({@code millwright.solution}, README "Solution templates")
 */
@Validated
@ConfigurationProperties("millwright.alerting")
public record AlertingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("millwright-alerting") @NotBlank String consumerGroup,
        @DefaultValue("analytics-bridge/alert-rules.yaml") @NotBlank String rulesFile,
        @DefaultValue("") String webhookUrl,
        @DefaultValue("5s") @NotNull Duration webhookTimeout,
        @DefaultValue("3") @Min(1) @Max(10) int webhookAttempts,
        @DefaultValue("analytics-bridge/alert-channels.yaml") @NotBlank String channelsFile,
        List<String> additionalRulesFiles) {

    public AlertingProperties {
        additionalRulesFiles = additionalRulesFiles == null ? List.of() : List.copyOf(additionalRulesFiles);
    }
}
