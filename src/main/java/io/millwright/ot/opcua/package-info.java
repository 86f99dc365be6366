/**
 * The {@code opcua-subscription} Camel component on Eclipse Milo's client SDK: one Milo session per
 * OPC UA connection file, one subscription per publishing interval, monitored items created in
 * batches within the server's operation limits, and a bounded, metered hand-off to one route per
 * connection whose exchanges carry a {@code List<}{@link io.millwright.model.SourceReading}{@code >}.
 * Sessions may be signed and encrypted with the hub's certificate and a file trust list
 * ({@link io.millwright.ot.opcua.ClientPki}); a lost session is made visible (Bad_NoCommunication
 * readings, values re-read, a {@link io.millwright.ot.opcua.GapListener} told of the gap); browse
 * discovery subscribes the variables below a root ({@link io.millwright.ot.opcua.DiscoveryListener}).
 *
 * <p>Exposes {@link io.millwright.ot.opcua.OpcUaSubscriptionComponent} and its endpoint, the
 * connection records ({@link io.millwright.ot.opcua.OpcUaConnection},
 * {@link io.millwright.ot.opcua.SubscriptionSettings}, {@link io.millwright.ot.opcua.HandoffSettings}),
 * {@link io.millwright.ot.opcua.OpcUaConnectionStatus} and the meter names in
 * {@link io.millwright.ot.opcua.OpcUaMetrics}. Depends on Milo (with its BouncyCastle), Camel, Micrometer and {@code model}
 * only: no Spring, nothing of {@code io.millwright.ot} itself (which reads the files and wires this in).
 */
package io.millwright.ot.opcua;
