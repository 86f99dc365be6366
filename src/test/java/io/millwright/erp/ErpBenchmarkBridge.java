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

        /** Wall time spent in requests to SAP, POSTs and {@code $batch} requests (the relay's send timer). */
        public long postNanos() {
            return (long) metrics.send(ConfirmationDocumentType.NAME).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        public synchronized long delivered() {
            return deliveredTotal;
        }

        /** One poll: the due rows (oldest per order), in $batch requests or each in turn; how many this relay delivered. */
        public int poll() {
            long start = System.nanoTime();
            int delivered = pollOnce();
            synchronized (this) {
                pollNanos += System.nanoTime() - start;
                deliveredTotal += delivered;
            }
            return delivered;
        }

        /** Rows posted or found by read-back so far (the relay's outcome counters). */
        private int handled() {
            return (int) (metrics.count("posted") + metrics.count("found"));
        }

        private int pollOnce() {
            int before = handled();
            // as the route: with post-batch-size over 1, the never-sent rows in $batch requests first, then the rest one by one
            List<OutboxEntry> due = relay.deliverBatch(relay.due());
            for (OutboxEntry entry : due) {
                try {
                    relay.deliver(entry);
                } catch (ErpRejectedException e) {
                    outbox.markParked(entry.idempotencyKey(), e.getMessage());
                } catch (ErpUnavailableException e) {
                    relay.wait(entry, e);
                    // as the route: no verdict ends this poll
                    break;
                }
            }
            return handled() - before;
        }
    }

    public static ConfirmationOutbox outbox(NamedParameterJdbcTemplate jdbc) {
        return new ConfirmationOutbox(jdbc);
    }

    public static SapConfirmationClient client(ErpProperties settings, ObjectMapper json) {
        return new SapConfirmationClient(settings, json);
    }

    /** @param postBatchSize confirmations per {@code $batch} request, as {@code millwright.erp.post-batch-size}; 1 = one POST each */
    public static Relay relay(ConfirmationOutbox outbox, SapConfirmationClient sap, ErpProperties settings, ObjectMapper json,
            TransactionTemplate transaction, String relayId, int postBatchSize) {
        ErpMetrics metrics = new ErpMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), null);
        return new Relay(new ConfirmationRelay(outbox, sap, settings, json, transaction, Clock.systemUTC(), relayId, metrics)
                .withPostBatchSize(postBatchSize), outbox, metrics);
    }
}
