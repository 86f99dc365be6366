package io.millwright.model;

import java.time.Instant;
import java.util.List;

/**
 * A span in which a source delivered no data, reported once the data flows again (the
 * {@code data-gap} event): a lost OPC UA connection, or a Sparkplug B edge node or device that
 * died and was born again.
 *
 * @param source     where the data comes from, e.g. {@code opcua://plant-sim} or {@code sparkplug://plant-1/line-1/press-3}
 * @param connection the connection id: the OPC UA connection file's id, or Sparkplug {@code <group>/<node>[/<device>]}
 * @param start      when the data stopped (the death or the loss of the connection)
 * @param end        when data flowed again
 * @param assetPaths the ISA-95 paths whose values are missing for the span, sorted
 * @param reason     what happened, in words
 */
public record DataGap(String source, String connection, Instant start, Instant end, List<String> assetPaths, String reason) {

    public DataGap {
        InvalidEventException.required("source", source);
        InvalidEventException.required("connection", connection);
        InvalidEventException.required("start", start);
        InvalidEventException.required("end", end);
        InvalidEventException.required("reason", reason);
        assetPaths = assetPaths == null ? List.of() : assetPaths.stream().sorted().distinct().toList();
    }
}
