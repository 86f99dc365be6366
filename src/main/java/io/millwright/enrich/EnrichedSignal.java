package io.millwright.enrich;

import io.millwright.model.Signal;
import java.time.Instant;

/**
 * A canonical signal with its asset context: the registry entry of its node, where it came from
 * (CloudEvents {@code source}), when the source stamped it, and its correlation id (the id of the
 * signal event, which every event derived from this reading carries as {@code correlationid}).
 */
public record EnrichedSignal(AssetTag asset, Signal signal, String source, Instant time, String correlationId) {}
