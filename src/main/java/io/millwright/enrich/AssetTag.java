package io.millwright.enrich;

/**
 * One node of the asset registry: which asset it belongs to and what its value means.
 *
 * @param connection the OPC UA connection that reads it (file stem in {@code adapters/opcua/})
 * @param nodeId     the node id exactly as the connection file spells it
 * @param assetPath  ISA-95 path enterprise/site/area/line/cell, the events' {@code subject}
 * @param low        lower limit of a measurement, or null
 * @param high       upper limit of a measurement, or null
 */
public record AssetTag(
        String connection, String nodeId, String assetPath, TagRole role, String name, String unit, Double low, Double high) {}
