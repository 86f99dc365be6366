package io.millwright.sim.erp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import io.millwright.ops.HubDirectoriesProperties;
import io.millwright.sim.plant.PlantSimulatorProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the simulated SAP ERP when {@code millwright.sim.erp.enabled} is true (the default), in
 * the background beside the rest of the start ({@code Bean.Bootstrap.BACKGROUND}); Spring waits
 * for it before Camel starts the relay.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "millwright.sim.erp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({HubDirectoriesProperties.class, PlantSimulatorProperties.class})
class ErpSimulatorConfiguration {

    // settings by constructor: a background bean may only use beans the main thread made first
    private final ErpSimulatorProperties settings;
    private final PlantSimulatorProperties plant;
    private final HubDirectoriesProperties directories;

    ErpSimulatorConfiguration(ErpSimulatorProperties settings, PlantSimulatorProperties plant,
            HubDirectoriesProperties directories) {
        this.settings = settings;
        this.plant = plant;
        this.directories = directories;
    }

    @Bean(destroyMethod = "close", bootstrap = Bean.Bootstrap.BACKGROUND)
    ErpSimulator erpSimulator() throws IOException {
        List<ErpSimulatorProperties.ReleasedOrder> orders = settings.releasedOrders().isEmpty()
                ? plantOrders(plant)
                : settings.releasedOrders();
        return new ErpSimulator(settings, orders, directories.data().resolve("sim").resolve("erp")).start();
    }

    /**
     * The orders the simulated plant runs (machine M of line L runs order 10000LM unless
     * {@code millwright.sim.opcua.orders} says otherwise), with the
     * plant's operation ({@code millwright.sim.opcua.*}), in pieces.
     */
    static List<ErpSimulatorProperties.ReleasedOrder> plantOrders(PlantSimulatorProperties plant) {
        int lines = plant.lines();
        int machines = plant.machinesPerLine();
        String operation = plant.operation();
        List<ErpSimulatorProperties.ReleasedOrder> orders = new ArrayList<>();
        for (int line = 1; line <= lines; line++) {
            for (int machine = 1; machine <= machines; machine++) {
                orders.add(new ErpSimulatorProperties.ReleasedOrder(
                        plant.orderFor(line, machine),
                        List.of(operation), "PC", "1010", "L" + line + "-M" + machine));
            }
        }
        return orders;
    }
}
