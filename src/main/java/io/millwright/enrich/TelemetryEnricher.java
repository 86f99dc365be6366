package io.millwright.enrich;

import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.Parked;
import io.millwright.model.SourceReading;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Normalizes and enriches a batch of source readings, and makes the signal event of each. A
 * reading that cannot be normalized or enriched (an unknown node, a mapping that fails) is set
 * aside with its reason, resubmittable as it arrived; the others go on.
 */
@Component
public class TelemetryEnricher {

    /** Route id of the telemetry flow; parked readings are booked to it. */
    public static final String ROUTE_ID = "enrich-signal-asset-context";

    /** The enriched signals of a batch, their signal events, and the readings set aside. */
    public record EnrichedBatch(List<EnrichedSignal> signals, List<EventEnvelope<?>> signalEvents, List<Parked> parked) {}

    private final SignalMappings mappings;
    private final SignalEnricher enricher;

    TelemetryEnricher(SignalMappings mappings, SignalEnricher enricher) {
        this.mappings = mappings;
        this.enricher = enricher;
    }

    public EnrichedBatch enrich(List<SourceReading> readings) {
        List<EnrichedSignal> signals = new ArrayList<>(readings.size());
        List<EventEnvelope<?>> events = new ArrayList<>(readings.size());
        List<Parked> parked = new ArrayList<>(0);
        for (SourceReading reading : readings) {
            EnrichedSignal signal;
            try {
                signal = enricher.enrich(mappings.forConnection(reading.connection()).normalize(reading));
            } catch (UnmappedNodeException e) {
                // a discovered node no rule maps: reported once by the registry, its values skipped
                continue;
            } catch (RuntimeException e) {
                parked.add(Parked.of(ROUTE_ID, Endpoints.TELEMETRY_INTAKE, e, null, reading));
                continue;
            }
            signals.add(signal);
            events.add(EventEnvelope.of(signal.correlationId(), EventType.SIGNAL, signal.source(),
                    signal.asset().assetPath(), signal.time(), signal.correlationId(), signal.signal()));
        }
        return new EnrichedBatch(signals, events, parked);
    }
}
