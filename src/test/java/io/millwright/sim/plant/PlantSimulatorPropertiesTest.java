package io.millwright.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code millwright.sim.opcua.connect}: whether the hub connects to the simulated plant (adapters/opcua/plant-sim.yaml). */
class PlantSimulatorPropertiesTest {

    // unset, it follows the simulator switch (the all-in-one hub: both on; an operator's enabled=false: both off);
    // set, it wins (the edge profile: no plant in its process, a connection to one started apart)
    @ParameterizedTest(name = "enabled={0} connect={1} -> {2}")
    @CsvSource(nullValues = "unset", value = {
        "true,  unset, true",
        "false, unset, false",
        "false, true,  true",
        "true,  false, false"})
    void connect_followsEnabled_unlessSet(boolean enabled, Boolean connect, boolean expected) {
        PlantSimulatorProperties properties = new PlantSimulatorProperties(enabled, 4840, "127.0.0.1", null, 2, 3, "0010",
                Duration.ofMillis(500), false, 1L, Map.of(), connect);
        assertThat(properties.connect()).isEqualTo(expected);
    }
}
