package io.millwright.erp;

import io.millwright.model.MessageHeaders;
import io.millwright.model.Endpoints;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Relays the outbox to SAP. {@code erp-confirmation-relay} polls due rows and hands each, in
 * order, to {@code erp-confirmation-deliver}, which posts it (reading back first after an
 * uncertain attempt). A business refusal parks the row and dead-letters the confirmation; no
 * verdict (SAP down, timeout) leaves it pending with a back-off, and the other orders' rows go on;
 * an outage opens the relay's circuit breaker after a few calls, so it costs no call per confirmation.
 *
 * <p>With {@code millwright.erp.relay-enabled=false} (by default on a hub whose counts the central hub confirms,
 * {@code millwright.erp.confirmed-by=central}: the edge profile) the poll route is not added.
 *
 * <p>Why not Camel redelivery in an error policy: it is in memory and dead-letters after four
 * tries, while an SAP outage can last hours; here the retry state (attempts, back-off) lives in the
 * outbox, survives a restart, and nothing is dead-lettered only for being late.
 */
@Component
class ConfirmationRelayRoute extends RouteBuilder {

    /** Route id and internal endpoint of one delivery; resubmitted dead letters re-enter here. */
    static final String DELIVER = "direct:erp-confirmation-deliver";

    private static final Logger log = LoggerFactory.getLogger(ConfirmationRelayRoute.class);

    private final ConfirmationRelay relay;
    private final ErpProperties settings;
    private final ErpAlerts alerts;
    private ProducerTemplate deadLetterTemplate;

    ConfirmationRelayRoute(ConfirmationRelay relay, ErpProperties settings, ErpAlerts alerts) {
        this.relay = relay;
        this.settings = settings;
        this.alerts = alerts;
    }

    /**
     * Sends the exchange to the dead-letter store on this thread (a direct endpoint), so its insert
     * joins the caller's transaction; fails if the store failed, which rolls the parking back.
     */
    private void deadLetter(Exchange exchange) {
        Exchange result = deadLetters().send(Endpoints.DEAD_LETTER, exchange);
        if (result.getException() != null) {
            Exception failure = result.getException();
            result.setException(null);
            throw new IllegalStateException("dead letter could not be written; the confirmation stays pending: "
                    + failure.getMessage(), failure);
        }
    }

    private synchronized ProducerTemplate deadLetters() {
        if (deadLetterTemplate == null) {
            deadLetterTemplate = getContext().createProducerTemplate();
        }
        return deadLetterTemplate;
    }

    @Override
    public void configure() {
        if (settings.relayEnabled()) {
            relay();
        } else {
            // an edge hub (millwright.erp.confirmed-by=central, or relay-enabled=false): no ERP to reach, no poll and no
            // WARN per poll; a resubmitted delivery still requeues its row
            log.info("ERP confirmation relay off (millwright.erp.relay-enabled=false): nothing in this hub's outbox is posted to SAP");
        }
        deliver();
    }

    private void relay() {
        from("timer:erp-confirmation-relay?period=" + settings.relayInterval().toMillis() + "&delay=" + settings.relayInterval().toMillis())
                .routeId("erp-confirmation-relay")
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Polls the confirmation outbox and relays due confirmations to SAP in order")
                .bean(relay, "due")
                // one row per order: a row without verdict does not stop the others (issue 8, hole 6); an SAP that
                // fails for everyone opens the relay's circuit breaker, which stops the calls instead
                .doTry()
                    // with millwright.erp.post-batch-size > 1, never-sent confirmations go in $batch requests; the rest one by one
                    .bean(relay, "deliverBatch")
                    .split(body())
                        .to(DELIVER)
                    .endDoTry()
                .doCatch(ErpUnavailableException.class)
                    .log(LoggingLevel.WARN, "SAP unavailable; confirmations stay pending reason=${exception.message}")
                .doCatch(Exception.class)
                    // e.g. the database: the rows stay as they are and are tried on the next poll
                    .log(LoggingLevel.WARN, "Confirmation relay poll failed; retrying on the next poll reason=${exception.message}")
                .end();
    }

    private void deliver() {
        from(DELIVER)
                .routeId("erp-confirmation-deliver")
                .routeProperty("layer", "4").routeProperty("outcome", "cost")
                .routeDescription("Posts one outbox confirmation to SAP exactly once in effect; parks what SAP refuses")
                .onException(ErpRejectedException.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    // the row is parked and its dead letter written in one transaction (issue 8, hole 5)
                    .process(exchange -> {
                        ErpRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ErpRejectedException.class);
                        OutboxEntry entry = exchange.getMessage().getBody(OutboxEntry.class);
                        exchange.getMessage().setBody(relay.payload(entry));
                        exchange.getMessage().setHeader(MessageHeaders.DEAD_LETTER_REASON, rejection.getMessage());
                        exchange.getMessage().setHeader(MessageHeaders.CORRELATION_ID, entry.idempotencyKey());
                        relay.park(entry, rejection, () -> deadLetter(exchange));
                        if (rejection instanceof ErpAuthorizationException) {
                            // 401/403: nothing of this order gets through until someone fixes the ERP user (issue 8, hole 6)
                            alerts.authorizationRefused(alertKey(entry), rejection.getMessage());
                        }
                    })
                .end()
                .onException(ErpUnavailableException.class)
                    // not handled: the relay's split stops and waits for the next poll
                    .handled(false)
                    .maximumRedeliveries(0)
                    .logExhausted(false)
                    .logStackTrace(false)
                    .process(exchange -> relay.wait(exchange.getMessage().getBody(OutboxEntry.class),
                            exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ErpUnavailableException.class)))
                .end()
                .choice()
                    .when(header(MessageHeaders.RESUBMITTED_FROM).isNotNull())
                        .bean(relay, "requeue")
                    .otherwise()
                        .process(exchange -> {
                            OutboxEntry entry = exchange.getMessage().getBody(OutboxEntry.class);
                            if (relay.deliver(entry)) {
                                alerts.delivered(alertKey(entry));
                            }
                        })
                .end();
    }

    /**
     * What the authorization alert is about: the order, or for a document without one (a
     * maintenance notification) its document type. Not every outbox row is a confirmation: reading
     * the order from {@code confirmation()} failed with a NullPointerException after each
     * notification the relay posted.
     */
    private static String alertKey(OutboxEntry entry) {
        return entry.orderId() != null ? entry.orderId() : entry.documentType();
    }
}
