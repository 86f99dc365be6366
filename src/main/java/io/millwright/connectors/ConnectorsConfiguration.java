package io.millwright.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.ops.HubDirectoriesProperties;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The enterprise connectors ({@code millwright.connectors.enabled}, on by default; with no files in
 * {@code mappings/connectors/} nothing runs).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "millwright.connectors.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ConnectorsProperties.class)
public class ConnectorsConfiguration {

    @Bean
    Connectors connectors(HubDirectoriesProperties directories, Environment environment, ObjectMapper objectMapper,
            MeterRegistry meters) {
        return new Connectors(new ConnectorFiles(directories.mappings(), environment), objectMapper, meters);
    }

    @Bean
    ConnectorRoutes connectorRoutes(Connectors connectors) {
        return new ConnectorRoutes(connectors.running(), ConnectorRoutes::kafkaTopics);
    }

    /**
     * Connector files applied while the hub runs ({@code millwright.connectors.reload-enabled}, on by
     * default; {@code millwright.connectors.reload-debounce}, 500ms: the quiet time after a save).
     */
    @Bean
    @ConditionalOnProperty(name = "millwright.connectors.reload-enabled", havingValue = "true", matchIfMissing = true)
    ConnectorReloader connectorReloader(CamelContext camelContext, Connectors connectors, ConnectorsProperties settings)
            throws Exception {
        ConnectorReloader reloader = new ConnectorReloader(camelContext, connectors, ConnectorRoutes::kafkaTopics,
                settings.reloadDebounce());
        camelContext.addStartupListener(reloader);
        return reloader;
    }

    /** Routings and bills of material from PLM into mappings/ ({@code millwright.connectors.plm-inbox}). */
    @Bean
    PlmImportRoute plmImportRoute(HubDirectoriesProperties directories, ConnectorsProperties settings) {
        return new PlmImportRoute(new PlmImport(directories.mappings()), settings.plmInbox(directories.mappings()));
    }

    /** UP with each connector's counts; a rejected file is listed with its reason (the others run). */
    @Bean
    HealthIndicator connectorsHealthIndicator(Connectors connectors) {
        return () -> Health.up()
                .withDetail("connectors", connectors.describe())
                .withDetail("rejected", connectors.rejected().size())
                .build();
    }
}
