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
 * (lake, rollups, anomaly detection). Immutable: the side routes read the same poll.
 *
 * @param events the records that are JSON objects, in the poll's order
 * @param unreadable the records that are not, with the reason (the lake parks them, resubmittable)
 */
record AnalyticsPoll(List<Event> events, List<Unreadable> unreadable) {

    /**
     * @param json the event's CloudEvents JSON
     * @param sizeBytes its size as it arrived
     * @param record the record as it arrived (what a dead letter keeps)
     * @param appendedAt the time Kafka gives the record (ms since the epoch), null when it did not come from Kafka
     */
    record Event(JsonNode json, int sizeBytes, byte[] record, Long appendedAt) {}

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
        List<Event> events = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (KafkaRecordBatches.Record record : KafkaRecordBatches.records(exchange)) {
            try {
                JsonNode json = objectMapper.readTree(record.value());
                if (json == null || !json.isObject()) {
                    unreadable.add(new Unreadable(record.value(), "the record is not a CloudEvents JSON object",
                            new IllegalArgumentException("the record is not a CloudEvents JSON object")));
                } else {
                    events.add(new Event(json, record.value().length, record.value(), record.timestamp()));
                }
            } catch (IOException e) {
                unreadable.add(new Unreadable(record.value(), e.getMessage(), e));
            }
        }
        return new AnalyticsPoll(events, unreadable);
    }
}
