package io.millwright.ot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Provides the connection-file reader, resolving placeholders through the Spring environment. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
class OpcUaConnectionFilesConfiguration {

    @Bean
    OpcUaConnectionFiles opcUaConnectionFiles(Environment environment) {
        return new OpcUaConnectionFiles(environment);
    }
}
