package io.millwright.mes;

import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;

/**
 * An event ready to send: its type (which gives the destination and the delivery guarantee),
 * its key (the asset path) and its structured CloudEvents JSON, serialized once for every broker.
 */
public record OutgoingEvent(EventType type, EventEnvelope<?> envelope, byte[] json) {

    public String key() {
        return envelope.subject();
    }
}
