package io.millwright.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.model.Parked;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;

/**
 * What every batch flow (telemetry, production, publishing) does at its entry and with the items
 * it sets aside, written once: accept a list, one item, or the JSON of either (a resubmitted dead
 * letter); declare itself the re-entry point of a resubmit; park single items.
 */
public final class FlowBatches {

    private FlowBatches() {}

    /**
     * Makes the body a {@code List} of {@code type}: a list as it is, one item wrapped, JSON text
     * (an array or one object) read with {@code objectMapper}. Returns the list.
     */
    public static <T> List<T> readBatch(Exchange exchange, ObjectMapper objectMapper, Class<T> type,
            TypeReference<List<T>> listType) throws Exception {
        var message = exchange.getMessage();
        Object body = message.getBody();
        List<T> batch;
        if (body instanceof List<?>) {
            @SuppressWarnings("unchecked")
            List<T> list = (List<T>) body;
            batch = list;
        } else if (type.isInstance(body)) {
            batch = List.of(type.cast(body));
        } else {
            batch = parse(message.getMandatoryBody(String.class).trim(), objectMapper, type, listType);
        }
        message.setBody(batch);
        return batch;
    }

    /**
     * Declares where a resubmit of what fails from here on re-enters, and with which body. A route
     * reached over {@code direct:} shares its caller's unit of work, so Camel's
     * {@code useOriginalMessage} alone would give the caller's message.
     */
    public static void markResubmitPoint(Exchange exchange, String endpoint, Object body) {
        exchange.setProperty(MessageHeaders.RESUBMIT_ENDPOINT, endpoint);
        exchange.setProperty(MessageHeaders.RESUBMIT_BODY, body);
    }

    /** Parks the items a flow set aside, each with its own reason; nothing when there are none. */
    public static void park(ProducerTemplate producer, List<Parked> parked) {
        if (!parked.isEmpty()) {
            producer.sendBody(Endpoints.PARK, parked);
        }
    }

    private static <T> List<T> parse(String json, ObjectMapper objectMapper, Class<T> type,
            TypeReference<List<T>> listType) throws Exception {
        if (json.isEmpty()) {
            throw new InvalidPayloadException(null, type);
        }
        return json.startsWith("[") ? objectMapper.readValue(json, listType) : List.of(objectMapper.readValue(json, type));
    }
}
