/**
 * Normalize and enrich: turns what an adapter read into a canonical {@link io.millwright.model.Signal}
 * (JSONata mappings in {@code mappings/transform/}), attaches the asset context from the asset
 * registry ({@code mappings/assets.yaml}: ISA-95 path, role, unit, limits) and the order context
 * (which order operation runs on the asset), and hands each signal on by its role: every signal
 * is published, states become machine-state events, counters go to the count ledger. Exposes
 * {@link io.millwright.enrich.AssetRegistry}, {@link io.millwright.enrich.EnrichedSignal} and the
 * route {@code direct:ot-opcua-signal}. Depends on {@code model}, {@code tracking} and {@code ops}.
 */
package io.millwright.enrich;
