package io.millwright.edge.link;

import io.millwright.model.MessageHeaders;
import java.util.Map;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.transformer.Transformer;

/**
 * Applied by the broker to each event's copy on its way into the edge's {@link EdgeLink#OUTBOX}
 * (the diverts' transformer): makes it persistent, so the buffer survives an edge restart even
 * for telemetry the hub sends non-persistent on its own addresses.
 *
 * <p>With the property {@value #CONFIRMED_BY} (given to the production-count divert of an edge that
 * posts its own counts to SAP, {@code millwright.erp.confirmed-by=this-hub}) it also sets the message
 * property {@value MessageHeaders#CONFIRMED_BY} to that value, so the central hub publishes the count
 * but does not book it a second time for SAP.
 *
 * <p>Public with a no-argument constructor: Artemis creates it by class name.
 */
public class OutboxStamp implements Transformer {

    /** Transformer property: the value of {@value MessageHeaders#CONFIRMED_BY} to put on each message. */
    static final String CONFIRMED_BY = "confirmed-by";

    private String confirmedBy;

    @Override
    public void init(Map<String, String> properties) {
        confirmedBy = properties.get(CONFIRMED_BY);
    }

    @Override
    public Message transform(Message message) {
        message.setDurable(true);
        if (confirmedBy != null) {
            message.putStringProperty(MessageHeaders.CONFIRMED_BY, confirmedBy);
        }
        return message;
    }
}
