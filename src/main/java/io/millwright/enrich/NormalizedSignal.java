package io.millwright.enrich;

import io.millwright.model.Quality;
import java.time.Instant;

/**
 * What a mapping makes of a source reading: the canonical signal's fields before the asset
 * registry adds its context. The fields of a {@code mappings/transform/*-to-signal.jsonata}
 * mapping's output.
 *
 * @param connection the connection the value came from
 * @param tag        the node id, as the asset registry spells it
 * @param value      null when the quality is BAD
 * @param statusCode the source's status code as text, e.g. {@code 0x80740000}
 * @param time       source timestamp, else the server's; null = unknown (the hub then stamps its own)
 * @param source     CloudEvents {@code source}, e.g. {@code opcua://plant-sim}
 */
public record NormalizedSignal(
        String connection, String tag, Object value, Quality quality, String statusCode, Instant time, String source) {}
