package io.millwright.model;

import java.time.Instant;

/**
 * One value as a source adapter read it, before normalization: the seam between the OT adapters
 * ({@code ot}, later MQTT and Sparkplug B) and the telemetry flow ({@code enrich}). Adapters send
 * batches of these, as a {@code List<SourceReading>}, to {@link Endpoints#TELEMETRY_INTAKE}.
 *
 * @param connection id of the connection that read it (the connection file's stem)
 * @param source     CloudEvents {@code source} of events derived from it, e.g. {@code opcua://plant-sim}
 * @param nodeId     the address within the connection (OPC UA node id exactly as configured)
 * @param value      String, Long, Double, Boolean, a BigInteger, a List of those, or null (Bad or empty)
 * @param statusCode raw 32-bit OPC UA StatusCode (0 = Good; bits 31-30: severity, OPC 10000-4 7.39)
 * @param sourceTime when the source stamped the value, or null
 * @param serverTime when the server stamped the value, or null
 */
public record SourceReading(
        String connection,
        String source,
        String nodeId,
        Object value,
        long statusCode,
        Instant sourceTime,
        Instant serverTime) {

    public SourceReading {
        InvalidEventException.required("connection", connection);
        InvalidEventException.required("source", source);
        InvalidEventException.required("nodeId", nodeId);
    }

    /** The source timestamp, else the server's, else null. */
    public Instant time() {
        return sourceTime != null ? sourceTime : serverTime;
    }
}
