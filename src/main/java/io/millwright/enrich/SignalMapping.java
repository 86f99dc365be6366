package io.millwright.enrich;

import io.millwright.model.SourceReading;

/** Turns a source reading into the canonical signal's fields; one per connection. */
interface SignalMapping {

    /**
     * @throws io.millwright.model.InvalidEventException when the reading or the mapping's output lacks a field or has a bad value
     */
    NormalizedSignal normalize(SourceReading reading);
}
