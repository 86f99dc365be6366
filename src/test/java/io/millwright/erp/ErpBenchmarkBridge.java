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
        private final ErpMetrics metrics;
        private long pollNanos;
        private long deliveredTotal;

        private Relay(ConfirmationRelay relay, ConfirmationOutbox outbox, ErpMetrics metrics) {
            this.relay = relay;
            this.outbox = outbox;
            this.metrics = metrics;
        }

        /** Wall time spent in polls (due-rows query, claims, POSTs, outbox writes), excluding the waits between polls. */
        public synchronized long pollNanos() {
            return pollNanos;
        }

        /** Wall time spent in POSTs to SAP (the relay's send timer). */
        public long postNanos() {
            return (long) metrics.send(ConfirmationDocumentType.NAME).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        public synchronized long delivered() {
            return deliveredTotal;
        }

        /** One poll: the due rows (oldest per order), each delivered in turn; how many this relay delivered. */
        public int poll() {
            long start = System.nanoTime();
            int delivered = pollOnce();
            synchronized (this) {
                pollNanos += System.nanoTime() - start;
                deliveredTotal += delivered;
            }
            return delivered;
        }

        private int pollOnce() {
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
        ErpMetrics metrics = new ErpMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null);
        return new Relay(new ConfirmationRelay(outbox, sap, settings, json, transaction, Clock.systemUTC(), relayId, metrics), outbox,
                metrics);
    }
}
