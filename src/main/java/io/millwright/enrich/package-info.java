/**
 * Normalize and enrich, the telemetry flow: a batch of {@link io.millwright.model.SourceReading}s
 * from a source adapter ({@code direct:telemetry-intake}) becomes canonical
 * {@link io.millwright.model.Signal}s, by the connection's mapping (built in, or an integrator's
 * JSONata file compiled once), with the asset context of the registry ({@code mappings/assets.yaml}:
 * ISA-95 path, role, unit, limits; in memory). Publishes the signal events and hands the enriched
 * signals to production. Also turns a source adapter's data gap ({@code direct:data-gap}) into a
 * {@code data-gap} event with the affected asset paths, and checks discovered nodes
 * ({@code direct:nodes-discovered}) against the registry. Exposes {@link io.millwright.enrich.AssetRegistry},
 * {@link io.millwright.enrich.EnrichedSignal} (with {@link io.millwright.enrich.AssetTag} and
 * {@link io.millwright.enrich.TagRole}) and {@link io.millwright.enrich.TelemetryEnricher}. Depends on
 * {@code model} and on {@code ops} (error policy, directories); it knows nothing of production,
 * the ERP or the brokers, only their endpoints in {@link io.millwright.model.Endpoints}.
 */
package io.millwright.enrich;
