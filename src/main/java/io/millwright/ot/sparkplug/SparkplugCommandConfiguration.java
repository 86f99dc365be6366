package io.millwright.ot.sparkplug;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Commands to edge nodes (NCMD/DCMD) through any running Sparkplug connection: the host of the
 * settings ({@value SparkplugHost#SETTINGS_CONNECTION}) or one provisioned through the API
 * ({@link SparkplugConnections}). Present when either can run: {@code millwright.sparkplug.enabled}
 * or the OT adapters with their provisioning API ({@code millwright.ot.enabled}, default true).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(SparkplugCommandConfiguration.WHEN)
public class SparkplugCommandConfiguration {

    /** The host of the settings or the provisioning API may run. */
    static final String WHEN = "${millwright.sparkplug.enabled:false} or ${millwright.ot.enabled:true}";

    @Bean
    SparkplugCommands sparkplugCommands(ObjectProvider<SparkplugHost> settingsHost, ObjectProvider<SparkplugConnections> connections,
            MeterRegistry meters) {
        return new SparkplugCommands(name -> {
            SparkplugHost settings = settingsHost.getIfAvailable();
            if (settings != null && SparkplugHost.SETTINGS_CONNECTION.equals(name)) {
                return Optional.of(settings);
            }
            SparkplugConnections provisioned = connections.getIfAvailable();
            return provisioned == null ? Optional.empty() : provisioned.host(name);
        }, meters);
    }

    @Bean
    SparkplugCommandRoutes sparkplugCommandRoutes(SparkplugCommands commands, ObjectMapper json) {
        return new SparkplugCommandRoutes(commands, json);
    }
}
