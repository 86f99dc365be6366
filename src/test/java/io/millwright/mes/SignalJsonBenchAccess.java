package io.millwright.mes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.EventEnvelope;
import java.io.IOException;

/** The hub's event JSON writer for benchmarks outside this package: a signal's bytes exactly as the hub puts them on Kafka. */
public final class SignalJsonBenchAccess {

    private final EventJsonWriter writer = new EventJsonWriter(new ObjectMapper().findAndRegisterModules());

    public byte[] write(EventEnvelope<?> event) throws IOException {
        return writer.write(event);
    }
}
