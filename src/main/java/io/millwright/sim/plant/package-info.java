/**
 * The simulated plant: production lines of machines behind a real OPC UA server (Eclipse Milo
 * 1.0, in-process, SecurityPolicy None, anonymous). Each machine has a state, cumulative good and
 * scrap counters, a temperature and a vibration that drifts upward before a breakdown, and runs a
 * fixed production order. Exposes {@link io.millwright.sim.plant.PlantSimulator} (start, pause,
 * snapshots, endpoint URL), {@link io.millwright.sim.plant.MachineSnapshot} and
 * {@link io.millwright.sim.plant.PlantSimulatorProperties}. It is a stand-in for a real plant and
 * must not depend on any other Millwright package (only {@code ops} for the data directory): the hub reaches it only through OPC UA.
 */
package io.millwright.sim.plant;
