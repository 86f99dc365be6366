package io.millwright.edge.link;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.transformer.Transformer;

/**
 * Applied by the broker to each event's copy on its way into the edge's {@link EdgeLink#OUTBOX}
 * (the diverts' transformer): makes it persistent, so the buffer survives an edge restart even
 * for telemetry the hub sends non-persistent, and sets Artemis's duplicate id
 * ({@code _AMQ_DUPL_ID}) to the CloudEvents id, so the central hub's broker stores an event the
 * link sends twice (after a reconnect, or a resubmit on the edge) only once. A CloudEvents batch
 * of signals has no id of its own; it is one unit on the link and takes the id of its first event
 * and its size.
 *
 * <p>Public with a no-argument constructor: Artemis creates it by class name.
 */
public class OutboxStamp implements Transformer {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Message transform(Message message) {
        message.setDurable(true);
        Object id = message.getObjectProperty("ce_id");
        String duplicateId = id != null ? id.toString() : batchId(message);
        if (duplicateId != null) {
            message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID.toString(), duplicateId);
        }
        return message;
    }

    /** {@code <first event's id>+<events>} of a CloudEvents JSON batch, or null when the body is none. */
    private static String batchId(Message message) {
        Object size = message.getObjectProperty("ce_batchsize");
        ActiveMQBuffer body = message.toCore().getReadOnlyBodyBuffer();
        byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            // the first event's top-level "id"
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(field) && value == JsonToken.VALUE_STRING) {
                    return parser.getText() + "+" + size;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
