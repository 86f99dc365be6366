package io.millwright.edge.link;

import io.millwright.model.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * On an edge whose counts the central hub confirms ({@code millwright.erp.confirmed-by=central}), notes
 * the CloudEvents ids of the production-count events the link has delivered: a broker plugin that sees
 * each acknowledgement on the edge's buffer ({@link EdgeLink#OUTBOX}). Its only consumer is the core bridge,
 * which acknowledges an event once the central hub's broker confirmed it. An event that left the buffer
 * otherwise (older than {@code max-age}, pushed out of a full buffer: not {@link AckReason#NORMAL}) was
 * not forwarded and is not noted. The ids wait here until {@link #drain(int)} (route {@code edge-ledger-forwarded});
 * those of a crash are lost, so their ledger rows are never pruned, which costs space and loses nothing.
 */
class ForwardedCounts implements ActiveMQServerMessagePlugin {

    private static final String COUNTS = EventType.PRODUCTION_COUNT.destination();

    private final ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();

    @Override
    public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
        // the newest of Artemis's three variants: the server calls it, and its default calls the older ones
        if (reason != AckReason.NORMAL || ref.getQueue() == null || !EdgeLink.OUTBOX.equals(ref.getQueue().getName().toString())) {
            return;
        }
        acknowledged(ref.getMessage());
    }

    /** Notes the event ids of one message the link delivered, if it carries production counts. */
    void acknowledged(Message message) {
        Object from = message.getObjectProperty(Message.HDR_ORIGINAL_ADDRESS);
        if (from == null || !COUNTS.equals(from.toString())) {
            return;
        }
        // a production count travels alone, with its CloudEvents id as ce_id (ArtemisEventSender batches only
        // signals); a message without one is not noted, so its rows are kept
        Object id = message.getObjectProperty("ce_id");
        if (id != null) {
            ids.add(id.toString());
        }
    }

    /** The ids noted since the last drain, at most {@code max}. */
    List<String> drain(int max) {
        List<String> drained = new ArrayList<>();
        String id;
        while (drained.size() < max && (id = ids.poll()) != null) {
            drained.add(id);
        }
        return drained;
    }
}
