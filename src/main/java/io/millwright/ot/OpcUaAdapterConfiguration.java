package io.millwright.ot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the OPC UA adapter: reads {@code <millwright.adapters-dir>/opcua/*.yaml} once at start-up
 * (a bad file stops the start, naming file and key), registers the {@code opcua-subscription}
 * Camel component with those connections, and reports them as the health component {@code opcua}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
class OpcUaAdapterConfiguration {

    @Bean
    OpcUaConnectionFiles opcUaConnectionFiles(Environment environment) {
        return new OpcUaConnectionFiles(environment);
    }

    /** Camel finds the component by its bean name, the URI scheme. */
    @Bean(OpcUaSubscriptionComponent.SCHEME)
    OpcUaSubscriptionComponent opcUaSubscriptionComponent(
            OpcUaConnectionFiles files, Environment environment, ObjectProvider<MeterRegistry> registry) {
        Path adaptersDir = Binder.get(environment)
                .bind("millwright.adapters-dir", Path.class)
                .orElse(Path.of("adapters"));
        return new OpcUaSubscriptionComponent(
                files.load(adaptersDir.resolve("opcua")),
                environment::getProperty,
                registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean("opcua")
    @ConditionalOnClass(HealthIndicator.class)
    HealthIndicator opcUaHealthIndicator(OpcUaSubscriptionComponent component) {
        return new OpcUaHealthIndicator(component);
    }
}
