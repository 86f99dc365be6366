package io.millwright.enrich;

/**
 * One node of the asset registry: which asset it belongs to and what its value means.
 *
 * @param connection the OPC UA connection that reads it (file stem in {@code adapters/opcua/})
 * @param nodeId     the node id exactly as the connection file spells it
 * @param assetPath  ISA-95 path enterprise/site/area/line/cell, the events' {@code subject}
 * @param low        lower limit of a measurement, or null
 * @param high       upper limit of a measurement, or null
 * @param counterWidth how wide a counter is when it wraps ({@code int16}, {@code uint16}, {@code int32},
 *                   {@code uint32}), or null for a counter that never wraps
 */
public record AssetTag(
        String connection, String nodeId, String assetPath, TagRole role, String name, String unit, Double low, Double high,
        String counterWidth) {

    /** A tag without a declared counter width. */
    public AssetTag(String connection, String nodeId, String assetPath, TagRole role, String name, String unit, Double low,
            Double high) {
        this(connection, nodeId, assetPath, role, name, unit, low, high, null);
    }
}
