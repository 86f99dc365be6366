package io.millwright.enrich;

/**
 * Where an asset stands, from {@code position: {x, y, z}} in {@code mappings/assets.yaml}: metres in
 * the plant's own frame (an origin and axes the site chooses, e.g. a hall corner), for clients that
 * place assets in space (mixed-reality headsets, floor plans).
 */
public record AssetPosition(double x, double y, double z) {}
