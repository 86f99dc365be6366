package io.millwright.ops;

import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code millwright.cluster.enabled}: Camel's file-lock cluster service on the shared folder
 * and the run-once policy for routes in group {@value RunOnceRoutes#GROUP}. Camel's Spring Boot
 * support adds both beans to the context (cluster services and route policy factories found in
 * the registry).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
@ConditionalOnProperty(name = "millwright.cluster.enabled", havingValue = "true")
public class ClusterConfiguration {

    @Bean
    FileLockClusterService millwrightClusterService(ClusterProperties properties) {
        return RunOnceRoutes.fileLockService(properties);
    }

    @Bean
    RunOnceRoutes runOnceRoutes() {
        return new RunOnceRoutes();
    }
}
