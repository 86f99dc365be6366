/**
 * Normalize and enrich, the telemetry flow: a batch of {@link io.millwright.model.SourceReading}s
 * from a source adapter ({@code direct:telemetry-intake}) becomes canonical
 * {@link io.millwright.model.Signal}s, by the connection's mapping (built in, or an integrator's
 * JSONata file compiled once, named by {@code millwright.enrich.mappings} or the connection file's
 * {@code mapping:} key), with the asset context of the registry ({@code mappings/assets.yaml}: ISA-95
 * path, role, unit, limits, a state tag's value map, an asset's fixed order context; plus rules in
 * {@code mappings/asset-rules.yaml}; in memory, hot-reloaded after validation). Publishes the signal events and hands the enriched
 * signals to production. Also turns a source adapter's data gap ({@code direct:data-gap}) into a
 * {@code data-gap} event with the affected asset paths, and checks discovered nodes
 * ({@code direct:nodes-discovered}) against the registry. Exposes {@link io.millwright.enrich.AssetRegistry},
 * {@link io.millwright.enrich.EnrichedSignal} (with {@link io.millwright.enrich.AssetTag} and
 * {@link io.millwright.enrich.TagRole}) and {@link io.millwright.enrich.TelemetryEnricher}. Depends on
 * {@code model} and on {@code ops} (error policy, directories, the folder watcher); it knows nothing of production,
 * the ERP or the brokers, only their endpoints in {@link io.millwright.model.Endpoints}.
 * Sparkplug B and MQTT tags are resolved by the rules of {@code mappings/source-assets.yaml}
 * ({@link io.millwright.enrich.SourceAssetRules}, also the hub's {@link io.millwright.model.AssetLookup}
 * for adapters that name assets themselves, e.g. in a data gap); unmatched ones are published with
 * the subject {@code <scheme>/<connection>} instead of being parked.
 */
package io.millwright.enrich;
