package io.millwright.erp;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Test-only access to the relay's steps for the ERP benchmark ({@code io.millwright.bench.erp}),
 * which lives outside this package: one relay does what the route {@code erp-confirmation-relay}
 * does per poll (due rows, then deliver each; no verdict leaves the row waiting, a refusal parks it).
 */
public final class ErpBenchmarkBridge {

    private ErpBenchmarkBridge() {}

    /** One relay instance with its own id (as one hub), over a shared outbox. */
    public static final class Relay {

        private final ConfirmationRelay relay;
        private final ConfirmationOutbox outbox;

        private Relay(ConfirmationRelay relay, ConfirmationOutbox outbox) {
            this.relay = relay;
            this.outbox = outbox;
        }

        /** One poll: the due rows (oldest per order), each delivered in turn; how many this relay delivered. */
        public int poll() {
            List<OutboxEntry> due = relay.due();
            int delivered = 0;
            for (OutboxEntry entry : due) {
                try {
                    if (relay.deliver(entry)) {
                        delivered++;
                    }
                } catch (ErpRejectedException e) {
                    outbox.markParked(entry.idempotencyKey(), e.getMessage());
                } catch (ErpUnavailableException e) {
                    relay.wait(entry, e);
                    // as the route: no verdict ends this poll
                    break;
                }
            }
            return delivered;
        }
    }

    public static ConfirmationOutbox outbox(NamedParameterJdbcTemplate jdbc) {
        return new ConfirmationOutbox(jdbc);
    }

    public static SapConfirmationClient client(ErpProperties settings, ObjectMapper json) {
        return new SapConfirmationClient(settings, json);
    }

    public static Relay relay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json,
            TransactionTemplate transaction, String relayId) {
        return new Relay(new ConfirmationRelay(outbox, sap, settings, json, transaction, Clock.systemUTC(), relayId), outbox);
    }
}
