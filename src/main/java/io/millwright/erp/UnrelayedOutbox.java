package io.millwright.erp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says once the hub is ready when its outbox holds documents nobody here will post: this hub runs no relay
 * ({@code millwright.erp.confirmed-by=central}, or {@code relay-enabled=false}) and rows are PENDING. That happens
 * after an edge hub that posted its own counts is upgraded to the edge profile, whose counts the central hub now
 * books and posts: what the edge queued before stays in its outbox, and the central hub never saw those counts as
 * bookings. The log line names how many and how to post them (docs/erp.md, "Edge and central").
 */
final class UnrelayedOutbox implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(UnrelayedOutbox.class);

    private final ErpProperties settings;
    private final ConfirmationOutbox outbox;

    UnrelayedOutbox(ErpProperties settings, ConfirmationOutbox outbox) {
        this.settings = settings;
        this.outbox = outbox;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        try {
            check();
        } catch (RuntimeException e) {
            // a hint, not a condition of the start: a hub whose database does not answer now still runs
            log.warn("Could not count the outbox's pending documents at start reason={}", e.getMessage());
        }
    }

    /** The PENDING rows this hub will not post (0 when it runs the relay); logged at WARN when there are any. */
    long check() {
        if (settings.relayEnabled()) {
            return 0;
        }
        long count = outbox.pendingCount();
        if (count > 0) {
            log.warn("ERP documents pending in this hub's outbox that no relay here posts count={} confirmedBy={}: queued before"
                    + " this hub stopped posting its own counts (e.g. upgraded to the edge profile). To post them, start this"
                    + " hub once with --millwright.erp.relay-enabled=true (and its ERP settings) until"
                    + " millwright.erp.outbox.depth{status=pending} is 0; their idempotency keys keep SAP from booking any twice",
                    count, settings.confirmedBy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return count;
    }
}
