package io.millwright.dashboard;

import io.millwright.model.EventEnvelope;

/**
 * What one canonical event changed: the event itself (for the dashboard stream, named by its type)
 * and, when it concerns a machine, the machine's new {@link AssetState} (for the asset stream).
 */
record LiveUpdate(EventEnvelope<?> event, AssetState asset) {}
