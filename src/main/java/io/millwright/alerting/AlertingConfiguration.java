package io.millwright.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Alerting: rules read once at start-up. A broken rules file does not stop the hub: no rule runs,
 * the reason is logged at ERROR and health component {@code alerting} is DOWN until it is fixed
 * and the hub restarted.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertingProperties.class)
@ConditionalOnProperty(name = "millwright.alerting.enabled", havingValue = "true", matchIfMissing = true)
class AlertingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertingConfiguration.class);

    /** The rules and, when they could not be read, why. */
    record LoadedRules(AlertEngine engine, String failure) {}

    @Bean
    LoadedRules alertRules(AlertingProperties properties) {
        try {
            List<AlertRules.Rule> rules = AlertRules.read(Path.of(properties.rulesFile()));
            log.info("Alert rules loaded file={} rules={}", properties.rulesFile(), rules.size());
            return new LoadedRules(new AlertEngine(rules), null);
        } catch (IllegalStateException e) {
            log.error("Alert rules not loaded, no alert rule runs until the file is fixed and the hub restarted reason={}", e.getMessage());
            return new LoadedRules(new AlertEngine(List.of()), e.getMessage());
        }
    }

    @Bean
    WebhookChannel alertWebhook(AlertingProperties properties) {
        return new WebhookChannel(properties.webhookUrl(), properties.webhookTimeout(), properties.webhookAttempts());
    }

    @Bean
    AlertingRoute alertingRoute(LoadedRules rules, WebhookChannel webhook, AlertingProperties properties, ObjectMapper objectMapper) {
        return new AlertingRoute(rules.engine(), webhook, properties, objectMapper);
    }

    @Bean("alerting")
    AlertingHealthIndicator alertingHealth(LoadedRules rules, WebhookChannel webhook) {
        return new AlertingHealthIndicator(rules.engine(), rules.failure(), webhook);
    }
}
