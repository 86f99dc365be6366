package io.millwright.model;

/**
 * Which asset a source's value belongs to, as the telemetry flow will say when the value arrives:
 * for an adapter that reports on values it no longer receives (a data gap) and so must name their
 * assets itself. Implemented by {@code enrich}; adapters depend on this interface only.
 */
public interface AssetLookup {

    /**
     * The ISA-95 asset path (the events' {@code subject}) of a tag read through a connection, or
     * null when the hub would not publish it (an OPC UA node missing from the asset registry).
     *
     * @param source     CloudEvents source, e.g. {@code sparkplug://plant-1/line-1}
     * @param connection the connection id, e.g. {@code plant-1/line-1}
     * @param tag        the tag within the connection (OPC UA node id, Sparkplug metric name)
     */
    String assetPath(String source, String connection, String tag);
}
