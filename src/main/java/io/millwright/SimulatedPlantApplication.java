package io.millwright;

import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The simulated plant alone, in a process of its own: its OPC UA server and machines from the same
 * settings as in the hub ({@code millwright.sim.opcua.*} in {@code config/application.yaml}, the command
 * line or the environment), nothing else of the hub (no web server, brokers, database or routes).
 * Started from the hub's jar by {@code scripts/millwright-sim}; an edge hub ({@code --spring.profiles.active=edge},
 * which runs no plant in its own process) connects to it as it would to a machine.
 *
 * <p>Deliberately not a {@code @Configuration}: the hub's component scan (which covers this package) must not
 * pick it up. Spring processes it only as the source of its own application.
 */
@EnableConfigurationProperties(PlantSimulatorProperties.class)
public class SimulatedPlantApplication {

    /** Its own log file beside the hub's, so a hub and a simulator started in one folder never share one. */
    static final String LOG_FILE = "${millwright.data-dir}/logs/plant-sim.log";

    public static void main(String[] args) {
        MillwrightApplication.useOwnLoggingConfig(args);
        if (System.getProperty("logging.file.name") == null && System.getenv("LOGGING_FILE_NAME") == null) {
            System.setProperty("logging.file.name", LOG_FILE); // above config/application.yaml's millwright.log
        }
        // keep-alive: Milo's threads are daemons, and without a web server nothing else would keep the JVM running
        new SpringApplicationBuilder(SimulatedPlantApplication.class).web(WebApplicationType.NONE)
                .properties("spring.main.keep-alive=true").run(args);
    }

    /** Runs whatever {@code millwright.sim.opcua.enabled} says: starting this process is the choice to run it. */
    @Bean
    PlantSimulator plantSimulator(PlantSimulatorProperties properties) {
        return new PlantSimulator(properties);
    }
}
