package io.millwright.enrich;

import io.millwright.model.Signal;
import java.time.Instant;

/**
 * A canonical signal with its asset context: the registry entry of its node, where it came from
 * (CloudEvents {@code source}) and when the source stamped it.
 */
public record EnrichedSignal(AssetTag asset, Signal signal, String source, Instant time) {}
