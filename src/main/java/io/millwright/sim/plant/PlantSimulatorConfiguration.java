package io.millwright.sim.plant;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the simulated plant when {@code millwright.sim.opcua.enabled} is true (the default).
 *
 * <p>In the background ({@code Bean.Bootstrap.BACKGROUND}): binding the Milo server and building
 * its address space takes a second or more, which runs beside the rest of the start. Spring waits
 * for it before Camel starts its routes, so the OPC UA connection finds the server listening.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.sim.opcua", name = "enabled", matchIfMissing = true)
class PlantSimulatorConfiguration {

    // settings by constructor: a background bean may only use beans the main thread made first
    private final PlantSimulatorProperties properties;

    PlantSimulatorConfiguration(PlantSimulatorProperties properties) {
        this.properties = properties;
    }

    @Bean(bootstrap = Bean.Bootstrap.BACKGROUND)
    PlantSimulator plantSimulator() {
        return new PlantSimulator(properties);
    }
}
