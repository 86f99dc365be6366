package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code subject} is the ISA-95 asset path,
 * {@code source} names the adapter and address the value came from, {@code time} is the source
 * timestamp; {@code receivedtime} and {@code correlationid} are Millwright's extensions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope<T>(
        String specversion,
        String id,
        String type,
        String source,
        String subject,
        Instant time,
        String datacontenttype,
        String dataschema,
        Instant receivedtime,
        String correlationid,
        T data) {

    public EventEnvelope {
        InvalidEventException.required("id", id);
        InvalidEventException.required("type", type);
        InvalidEventException.required("source", source);
        InvalidEventException.required("data", data);
    }

    /** A new event with a new id ({@link EventIds}), stamped now as its received time. */
    public static <T> EventEnvelope<T> of(
            EventType type, String source, String subject, Instant time, String correlationId, T data) {
        return of(EventIds.next(), type, source, subject, time, correlationId, data);
    }

    /** A new event with the given id, stamped now as its received time. */
    public static <T> EventEnvelope<T> of(
            String id, EventType type, String source, String subject, Instant time, String correlationId, T data) {
        return new EventEnvelope<>(
                "1.0",
                id,
                type.cloudEventType(),
                source,
                subject,
                time,
                "application/json",
                type.dataSchema(),
                Instant.now(),
                correlationId,
                data);
    }
}
