/**
 * Edge stream analytics ({@code millwright.edge.*}): filters per tag or group (deadband absolute or
 * percent, minimum interval, report by exception) applied to source readings before the telemetry
 * flow, and windowed rollups (min, max, avg, count, last) published as {@code signal-rollup} events,
 * as the routes {@code edge-filter} ({@code direct:edge-filter}) and {@code edge-rollup-publish}.
 * Depends on {@code model} (endpoints, {@link io.millwright.model.SourceReading},
 * {@link io.millwright.model.SignalRollup}, {@link io.millwright.model.AssetLookup} for the rollups'
 * subject) and {@code ops} (error policy); on Camel, Micrometer and Spring. Its sub-package
 * {@code edge.link} is the store-and-forward link between edge and central hubs, and also depends
 * on {@code backbone} (the embedded broker's customizer seam) and on {@code erp} for one setting,
 * {@link io.millwright.erp.ErpProperties#confirmedBy()} (an edge that confirms its own counts marks
 * them so the central hub does not book them).
 */
package io.millwright.edge;
