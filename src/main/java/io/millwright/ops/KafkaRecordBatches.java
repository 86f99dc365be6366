package io.millwright.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * How the side routes (analytics, alerting) read the canonical topics: a Kafka poll at a time, in
 * camel-kafka's batching mode (the body is the poll's records, one {@link Exchange} each), not one
 * exchange and unit of work per record. The signal topic carries tens of thousands of records a
 * second; per record, Camel's unit of work and MDC bookkeeping cost more than the side route's
 * own work, and the side routes run in the hub's process beside the telemetry path
 * (docs/benchmarks.md, "Telemetry at plant scale"). Offsets are committed as before (the
 * consumer's auto commit); a record a side route cannot take is handled by that route, record by
 * record, so one bad record never holds back its poll.
 */
public final class KafkaRecordBatches {

    /** Longest wait of one poll for records; an idle topic hands over an empty batch this often. */
    static final int POLL_TIMEOUT_MILLIS = 500;

    private KafkaRecordBatches() {}

    /**
     * Endpoint options (to append to a {@code kafka:} URI that has a {@code ?}) for batches of up to {@code maxRecords},
     * the records' Kafka headers left out of the exchanges ({@link IgnoredKafkaRecordHeaders}).
     */
    public static String options(int maxRecords) {
        return "&batching=true&maxPollRecords=" + maxRecords + "&pollTimeoutMs=" + POLL_TIMEOUT_MILLIS
                + "&headerFilterStrategy=#class:" + IgnoredKafkaRecordHeaders.class.getName();
    }

    /**
     * The record values of an exchange: each record's of a batch (camel-kafka batching, or a list of
     * {@link Record}s read by a consumer of the hub's own), or the
     * body itself when the exchange carries one record (a {@code direct:} call, a resubmitted dead
     * letter), as bytes.
     */
    public static List<byte[]> values(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> records) {
            List<byte[]> values = new ArrayList<>(records.size());
            for (Object record : records) {
                if (record instanceof Exchange one) {
                    values.add(bytes(one));
                } else if (record instanceof Record read) {
                    values.add(read.value());
                }
            }
            return values;
        }
        return List.of(bytes(exchange));
    }

    /** A record's value and the time Kafka gives it ({@code kafka.TIMESTAMP}; null without one, e.g. a {@code direct:} call). */
    public record Record(byte[] value, Long timestamp) {}

    /** The records of an exchange with their Kafka timestamps, as {@link #values(Exchange)} reads their values. */
    public static List<Record> records(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> records) {
            List<Record> out = new ArrayList<>(records.size());
            for (Object record : records) {
                if (record instanceof Exchange one) {
                    out.add(record(one));
                } else if (record instanceof Record read) {
                    out.add(read);
                }
            }
            return out;
        }
        return List.of(record(exchange));
    }

    private static Record record(Exchange exchange) throws InvalidPayloadException {
        return new Record(bytes(exchange), exchange.getMessage().getHeader(KafkaConstants.TIMESTAMP, Long.class));
    }

    private static byte[] bytes(Exchange exchange) throws InvalidPayloadException {
        Object body = exchange.getMessage().getBody();
        return body instanceof byte[] raw
                ? raw
                : exchange.getMessage().getMandatoryBody(String.class).getBytes(StandardCharsets.UTF_8);
    }
}
