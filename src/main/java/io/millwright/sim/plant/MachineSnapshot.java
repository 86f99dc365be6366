package io.millwright.sim.plant;

/**
 * One simulated machine's values at one tick, as its OPC UA variables show them.
 *
 * @param line production line, 1-based
 * @param machine machine on the line, 1-based
 * @param orderId production order the machine runs ({@code 10000LM})
 * @param operation operation of that order
 * @param state {@code running}, {@code idle}, {@code down} or {@code setup}
 * @param goodCount good parts since the simulator started (cumulative)
 * @param scrapCount scrapped parts since the simulator started (cumulative)
 * @param temperature degrees Celsius
 * @param vibration vibration velocity, mm/s RMS
 */
public record MachineSnapshot(
        int line,
        int machine,
        String orderId,
        String operation,
        String state,
        long goodCount,
        long scrapCount,
        double temperature,
        double vibration) {}
