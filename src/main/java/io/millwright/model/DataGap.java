package io.millwright.model;

import java.time.Instant;
import java.util.List;

/**
 * A stretch of time in which a connection delivered no data (data of
 * {@code io.millwright.data-gap.v1}): consumers know the values between {@code start} and
 * {@code end} are missing, not unchanged.
 *
 * @param source     {@code opcua://<connection-id>} or {@code sparkplug://<group>/<node>[/<device>]}
 * @param connection the connection id (OPC UA connection file id, or the Sparkplug {@code <group>/<node>[/<device>]})
 * @param start      when data stopped (the session was lost)
 * @param end        when data flowed again
 * @param assetPaths the affected ISA-95 asset paths, sorted
 * @param reason     a short human text
 */
public record DataGap(String source, String connection, Instant start, Instant end, List<String> assetPaths, String reason) {

    public DataGap {
        InvalidEventException.required("source", source);
        InvalidEventException.required("connection", connection);
        InvalidEventException.required("start", start);
        InvalidEventException.required("end", end);
        assetPaths = assetPaths == null ? List.of() : List.copyOf(assetPaths);
    }
}
