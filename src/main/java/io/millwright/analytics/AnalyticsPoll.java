package io.millwright.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ops.KafkaRecordBatches;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * One poll of the analytics feed, each record's JSON parsed once for every analytics side route
 * (lake, rollups, anomaly detection): a plain signal flat ({@link SignalEvent}), anything else as a
 * tree. The side routes read the same poll and do not change it.
 *
 * @param events the records that are JSON objects, in the poll's order
 * @param unreadable the records that are not, with the reason (the lake parks them, resubmittable)
 */
record AnalyticsPoll(List<Event> events, List<Unreadable> unreadable) {

    /**
     * One event of a poll: a plain signal read flat ({@link #signal()}), anything else as a JSON tree
     * ({@link #json()}, also available for a flat signal: then parsed on first use).
     */
    static final class Event {
        private final SignalEvent signal;
        private final int sizeBytes;
        private final byte[] record;
        private final Long appendedAt;
        private final ObjectMapper objectMapper;
        private JsonNode json;

        /**
         * @param signal the event read flat, or null when it is read as a tree
         * @param json the event's CloudEvents JSON, or null for a flat signal (parsed when asked for)
         * @param sizeBytes its size as it arrived
         * @param record the record as it arrived (what a dead letter keeps)
         * @param appendedAt the time Kafka gives the record (ms since the epoch), null when it did not come from Kafka
         */
        Event(SignalEvent signal, JsonNode json, int sizeBytes, byte[] record, Long appendedAt, ObjectMapper objectMapper) {
            this.signal = signal;
            this.json = json;
            this.sizeBytes = sizeBytes;
            this.record = record;
            this.appendedAt = appendedAt;
            this.objectMapper = objectMapper;
        }

        /** The event as a flat signal, or null when it is not a plain signal event. */
        SignalEvent signal() {
            return signal;
        }

        /** The event's CloudEvents JSON as a tree (for a flat signal parsed now, once). */
        JsonNode json() {
            if (json == null) {
                try {
                    json = objectMapper.readTree(record);
                } catch (IOException e) {
                    throw new IllegalStateException("a record read flat is not JSON: " + e.getMessage(), e);
                }
            }
            return json;
        }

        int sizeBytes() {
            return sizeBytes;
        }

        byte[] record() {
            return record;
        }

        Long appendedAt() {
            return appendedAt;
        }
    }

    /** A record that is not a JSON object, and why. */
    record Unreadable(byte[] record, String reason, Exception cause) {}

    AnalyticsPoll {
        events = List.copyOf(events);
        unreadable = List.copyOf(unreadable);
    }

    /**
     * The poll an exchange carries: the feed's parsed poll as it is, or the records of a Kafka batch
     * or of one record (a {@code direct:} call, a resubmitted dead letter) parsed now.
     */
    static AnalyticsPoll of(Exchange exchange, ObjectMapper objectMapper) throws InvalidPayloadException {
        if (exchange.getMessage().getBody() instanceof AnalyticsPoll poll) {
            return poll;
        }
        return parse(KafkaRecordBatches.records(exchange), objectMapper);
    }

    /** The given records, each parsed once. */
    static AnalyticsPoll parse(List<KafkaRecordBatches.Record> records, ObjectMapper objectMapper) {
        List<Event> events = new ArrayList<>(records.size());
        List<Unreadable> unreadable = new ArrayList<>();
        for (KafkaRecordBatches.Record record : records) {
            SignalEvent signal = SignalEvent.read(objectMapper.getFactory(), record.value());
            if (signal != null) {
                events.add(new Event(signal, null, record.value().length, record.value(), record.timestamp(), objectMapper));
                continue;
            }
            try {
                JsonNode json = objectMapper.readTree(record.value());
                if (json == null || !json.isObject()) {
                    unreadable.add(new Unreadable(record.value(), "the record is not a CloudEvents JSON object",
                            new IllegalArgumentException("the record is not a CloudEvents JSON object")));
                } else {
                    events.add(new Event(null, json, record.value().length, record.value(), record.timestamp(), objectMapper));
                }
            } catch (IOException e) {
                unreadable.add(new Unreadable(record.value(), e.getMessage(), e));
            }
        }
        return new AnalyticsPoll(events, unreadable);
    }
}
