package io.millwright.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.TelemetryPressure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Alerting: rules and channels read once at start-up. A broken rules file does not stop the hub:
 * no rule runs, the reason is logged at ERROR and health component {@code alerting} is DOWN until
 * it is fixed and the hub restarted; a broken channels file likewise leaves only the webhook of
 * {@code millwright.alerting.webhook-url}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertingProperties.class)
@ConditionalOnProperty(name = "millwright.alerting.enabled", havingValue = "true", matchIfMissing = true)
class AlertingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertingConfiguration.class);

    /** The rules and, when they could not be read, why. */
    record LoadedRules(AlertEngine engine, String failure) {}

    @Bean
    AlertStore alertStore(NamedParameterJdbcTemplate jdbc) {
        return new AlertStore(jdbc);
    }

    @Bean
    AlertMetrics alertMetrics(AlertStore store) {
        return new AlertMetrics(store);
    }

    @Bean
    LoadedRules alertRules(AlertingProperties properties, AlertStore store) {
        try {
            List<AlertRules.Rule> rules = new ArrayList<>(AlertRules.read(Path.of(properties.rulesFile())));
            for (String file : properties.additionalRulesFiles()) {
                List<AlertRules.Rule> more = AlertRules.read(Path.of(file));
                for (AlertRules.Rule rule : more) {
                    if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
                        throw new IllegalStateException(file + ": rule '" + rule.name()
                                + "' is already defined in an earlier rules file; rule names must be unique");
                    }
                }
                rules.addAll(more);
            }
            List<AlertEngine.Alert> stillOpen = store.open().stream().map(AlertStore.StoredAlert::alert).toList();
            log.info("Alert rules loaded file={} additionalFiles={} rules={} openAlerts={}", properties.rulesFile(),
                    properties.additionalRulesFiles(), rules.size(), stillOpen.size());
            return new LoadedRules(new AlertEngine(rules, stillOpen, store.pending()), null);
        } catch (IllegalStateException e) {
            log.error("Alert rules not loaded, no alert rule runs until the file is fixed and the hub restarted reason={}", e.getMessage());
            return new LoadedRules(new AlertEngine(List.of()), e.getMessage());
        }
    }

    /** The channels and, when the channels file could not be used, why. */
    record LoadedChannels(List<AlertChannel> channels, String failure) {}

    @Bean
    LoadedChannels alertChannels(AlertingProperties properties, Environment environment, CamelContext camel, ProducerTemplate producer) {
        List<AlertChannel> channels = new ArrayList<>();
        if (properties.webhookUrl() != null && !properties.webhookUrl().isBlank()) {
            channels.add(new WebhookChannel("webhook", false, properties.webhookUrl(), properties.webhookTimeout(),
                    properties.webhookAttempts(), Set.of()));
        }
        String failure = null;
        try {
            channels.addAll(AlertChannels.read(Path.of(properties.channelsFile()), environment::resolveRequiredPlaceholders,
                    new AlertChannels.Context(camel, producer, properties.webhookTimeout(), properties.webhookAttempts())));
        } catch (IllegalStateException e) {
            failure = e.getMessage();
            log.error("Alert channels not loaded, alerts go only to the webhook setting until the file is fixed and the hub restarted reason={}",
                    e.getMessage());
        }
        log.info("Alert channels file={} channels={}", properties.channelsFile(),
                channels.stream().map(c -> c.name() + "(" + c.kind() + ")").toList());
        return new LoadedChannels(List.copyOf(channels), failure);
    }

    @Bean
    AlertingRoute alertingRoute(LoadedRules rules, LoadedChannels channels, AlertStore store, AlertingProperties properties,
            ObjectMapper objectMapper, Environment environment, TelemetryPressure pressure) {
        // no Kafka (the edge profile): the rules read the events from the hub's Artemis (camel-jms component "jms")
        boolean kafka = environment.getProperty("millwright.mes.kafka-enabled", Boolean.class, true);
        log.info("Alerting reads events from={}", kafka ? "kafka" : "artemis");
        return new AlertingRoute(rules.engine(), channels.channels(), store, properties, objectMapper, kafka ? null : "jms",
                pressure);
    }

    @Bean("alerting")
    AlertingHealthIndicator alertingHealth(LoadedRules rules, LoadedChannels channels) {
        return new AlertingHealthIndicator(rules.engine(), rules.failure(), channels);
    }
}
