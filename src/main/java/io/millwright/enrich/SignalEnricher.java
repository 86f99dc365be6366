package io.millwright.enrich;

import io.millwright.model.EventIds;
import io.millwright.model.InvalidEventException;
import io.millwright.model.Signal;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Adds the asset registry's context to a normalized signal: the canonical {@link Signal} with its
 * registry entry, and a new correlation id for the reading.
 */
@Component
class SignalEnricher {

    private final AssetRegistry registry;
    private final SourceAssetRules sourceRules;

    SignalEnricher(AssetRegistry registry, SourceAssetRules sourceRules) {
        this.registry = registry;
        this.sourceRules = sourceRules;
    }

    EnrichedSignal enrich(NormalizedSignal normalized) {
        InvalidEventException.required("connection", normalized.connection());
        InvalidEventException.required("tag", normalized.tag());
        InvalidEventException.required("quality", normalized.quality());
        // Sparkplug B and MQTT tags are resolved by rules (and never parked as unknown); OPC UA nodes by the registry
        AssetTag asset = SourceAssetRules.handles(normalized.source())
                ? sourceRules.resolve(normalized.source(), normalized.connection(), normalized.tag())
                : registry.require(normalized.connection(), normalized.tag());
        Signal signal = new Signal(normalized.tag(), asset.name(), normalized.value(), asset.unit(), normalized.quality(), normalized.statusCode());
        Instant time = normalized.time() != null ? normalized.time() : Instant.now();
        return new EnrichedSignal(asset, signal, normalized.source(), time, EventIds.next());
    }
}
