package io.millwright.sim.erp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import io.millwright.ops.HubDirectoriesProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Starts the simulated SAP ERP when {@code millwright.sim.erp.enabled} is true (the default). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.sim.erp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HubDirectoriesProperties.class)
class ErpSimulatorConfiguration {

    @Bean(destroyMethod = "close")
    ErpSimulator erpSimulator(ErpSimulatorProperties settings, Environment environment,
            HubDirectoriesProperties directories) throws IOException {
        List<ErpSimulatorProperties.ReleasedOrder> orders = settings.releasedOrders().isEmpty()
                ? plantOrders(environment)
                : settings.releasedOrders();
        return new ErpSimulator(settings, orders, directories.data().resolve("sim").resolve("erp")).start();
    }

    /**
     * The orders the simulated plant runs: machine M of line L runs order 10000LM, with the
     * plant's operation ({@code millwright.sim.opcua.*}), in pieces.
     */
    static List<ErpSimulatorProperties.ReleasedOrder> plantOrders(Environment environment) {
        int lines = environment.getProperty("millwright.sim.opcua.lines", Integer.class, 2);
        int machines = environment.getProperty("millwright.sim.opcua.machines-per-line", Integer.class, 3);
        String operation = environment.getProperty("millwright.sim.opcua.operation", "0010");
        List<ErpSimulatorProperties.ReleasedOrder> orders = new ArrayList<>();
        for (int line = 1; line <= lines; line++) {
            for (int machine = 1; machine <= machines; machine++) {
                orders.add(new ErpSimulatorProperties.ReleasedOrder(
                        "10000" + line + machine, List.of(operation), "PC", "1010", "L" + line + "-M" + machine));
            }
        }
        return orders;
    }
}
