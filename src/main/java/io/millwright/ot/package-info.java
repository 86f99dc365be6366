/**
 * The OT adapters: OPC UA connection files ({@code adapters/opcua/*.yaml}) read and validated at
 * start-up by {@link io.millwright.ot.OpcUaConnectionFiles}, turned by
 * {@link io.millwright.ot.OpcUaIngestRoutes} into one camel-milo consumer route per node, whose
 * Milo {@code DataValue} bodies {@link io.millwright.ot.DataValueConverter} turns into plain maps
 * sent to {@code direct:ot-opcua-signal}. Exposes those classes, the connection records and
 * {@link io.millwright.ot.OtProperties}; it depends only on Camel, Milo and Spring, never on
 * the simulator ({@code sim}) or on what consumes the signals.
 */
package io.millwright.ot;
