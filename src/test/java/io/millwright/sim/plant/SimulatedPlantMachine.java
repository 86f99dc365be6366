package io.millwright.sim.plant;

/**
 * One machine of the plant simulator, for tests that need its values faster than its 500 ms ticks
 * and without the OPC UA server: the simulator's own model ({@link SimulatedMachine}) with the
 * seed {@link PlantSimulator} gives machine M of line L, so {@code new SimulatedPlantMachine(6, 1, 3)}
 * produces exactly the values a simulator started with {@code millwright.sim.opcua.seed=6} shows
 * for {@code Line1.Machine3}, one tick per {@link #tick()}.
 */
public final class SimulatedPlantMachine {

    private final SimulatedMachine machine;

    public SimulatedPlantMachine(long plantSeed, int line, int machine) {
        this.machine = new SimulatedMachine(line, machine, "10000" + line + machine, "0010",
                PlantSimulator.machineSeed(plantSeed, line, machine));
    }

    /** Advances one tick and returns the values the simulator's variables then hold. */
    public MachineSnapshot tick() {
        machine.advance();
        return machine.snapshot();
    }
}
