package io.millwright.edge.link;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.transformer.Transformer;

/**
 * Applied by the broker to each event's copy on its way into the edge's {@link EdgeLink#OUTBOX}
 * (the diverts' transformer): makes it persistent, so the buffer survives an edge restart even
 * for telemetry the hub sends non-persistent on its own addresses.
 *
 * <p>Public with a no-argument constructor: Artemis creates it by class name.
 */
public class OutboxStamp implements Transformer {

    @Override
    public Message transform(Message message) {
        message.setDurable(true);
        return message;
    }
}
