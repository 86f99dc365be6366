package io.millwright.edge.link;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.transformer.Transformer;

/**
 * Applied by the edge link's core bridge to each event it forwards: sets Artemis's duplicate id
 * ({@code _AMQ_DUPL_ID}) to the CloudEvents id, so the central hub's broker stores an event the
 * link re-sends after a reconnect, or that the edge published twice (a resubmitted dead letter, a
 * retried batch), only once. A CloudEvents batch of signals has no
 * id of its own; it is one unit on the link and takes the id of its first event and its size.
 * Set by the bridge, not on the way into the buffer: the edge's own broker would otherwise refuse
 * the second copy inside the publishing transaction and fail the whole batch.
 *
 * <p>Public with a no-argument constructor: Artemis creates it by class name.
 */
public class CloudEventsDuplicateId implements Transformer {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Message transform(Message message) {
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
