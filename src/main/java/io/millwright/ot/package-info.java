/**
 * The OT adapters: OPC UA connection files ({@code adapters/opcua/*.yaml}) read and validated at
 * start-up by {@link io.millwright.ot.OpcUaConnectionFiles}, served by the
 * {@code opcua-subscription} component ({@link io.millwright.ot.opcua}) registered by
 * {@code OpcUaAdapterConfiguration} together with the health component {@code opcua}, and
 * {@link io.millwright.ot.OpcUaIngestRoutes}: one route per connection to
 * {@code direct:telemetry-intake} with batches of {@code SourceReading}. Exposes the file reader,
 * the routes and {@link io.millwright.ot.OtProperties}; depends on Camel, Milo, Spring and
 * {@code model}, never on the simulator ({@code sim}) or on what consumes the readings.
 */
package io.millwright.ot;
