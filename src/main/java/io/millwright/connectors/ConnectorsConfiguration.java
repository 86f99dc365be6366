package io.millwright.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.ops.HubDirectoriesProperties;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The enterprise connectors ({@code millwright.connectors.enabled}, on by default; with no files in
 * {@code mappings/connectors/} nothing runs).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "millwright.connectors.enabled", havingValue = "true", matchIfMissing = true)
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
    ConnectorReloader connectorReloader(CamelContext camelContext, Connectors connectors, Environment environment)
            throws Exception {
        Duration debounce = environment.getProperty("millwright.connectors.reload-debounce", Duration.class,
                Duration.ofMillis(500));
        ConnectorReloader reloader = new ConnectorReloader(camelContext, connectors, ConnectorRoutes::kafkaTopics, debounce);
        camelContext.addStartupListener(reloader);
        return reloader;
    }

    /** Routings and bills of material from PLM into mappings/ ({@code millwright.connectors.plm-inbox}). */
    @Bean
    PlmImportRoute plmImportRoute(HubDirectoriesProperties directories, Environment environment) {
        String inbox = environment.getProperty("millwright.connectors.plm-inbox",
                directories.mappings().resolve("inbox/plm").toString());
        return new PlmImportRoute(new PlmImport(directories.mappings()), java.nio.file.Path.of(inbox));
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
