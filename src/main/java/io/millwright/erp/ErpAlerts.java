package io.millwright.erp;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ERP path's {@code alert} events (schema {@code mappings/schemas/alert.v1.schema.json}),
 * published through the hub's event publishing ({@value Endpoints#EVENT_PUBLISH}) like the alert
 * rules' own:
 * <ul>
 *   <li>{@value #AUTHORIZATION} (critical), key = the order: SAP refused the hub's logon or its
 *       authorization for the order (401/403); raised once, cleared when a confirmation of that
 *       order reaches SAP again;</li>
 *   <li>{@value #VARIANCE} (warning), key = order/operation: the scheduled reconciliation found
 *       plant, hub and ERP totals that differ; cleared when they agree again.</li>
 * </ul>
 * An alert that cannot be published is logged and never fails the ERP path.
 */
public class ErpAlerts {

    /** Rule name of an authorization refusal. */
    public static final String AUTHORIZATION = "erp-authorization";
    /** Rule name of a reconciliation variance. */
    public static final String VARIANCE = "erp-reconciliation-variance";

    static final String SOURCE = "millwright://erp";
    private static final Logger log = LoggerFactory.getLogger(ErpAlerts.class);

    /** The {@code alert} event's data, as {@code alert.v1.schema.json} defines it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Alert(String alertId, String rule, String status, String severity, String key, String summary, Instant since,
            String eventId) {}

    private final ProducerTemplate producer;
    private final Clock clock;
    private final Map<String, Alert> open = new ConcurrentHashMap<>();

    public ErpAlerts(ProducerTemplate producer) {
        this(producer, Clock.systemUTC());
    }

    ErpAlerts(ProducerTemplate producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    /** SAP refused the hub for this order: raises {@value #AUTHORIZATION} unless it is open already. */
    public void authorizationRefused(String orderId, String reason) {
        raise(AUTHORIZATION, "critical", orderId, reason + " (confirmations of this order are parked: fix the ERP user "
                + "and resubmit them, POST /api/tracking/resubmit?status=parked&order=" + orderId + ")");
    }

    /** A confirmation of this order reached SAP: clears an open {@value #AUTHORIZATION} alert. */
    public void delivered(String orderId) {
        clear(AUTHORIZATION, orderId, "SAP accepted a confirmation of order " + orderId + " again");
    }

    /** Raises {@value #VARIANCE} for this order operation (once while it lasts). */
    public void variance(String orderId, String operation, String summary) {
        raise(VARIANCE, "warning", orderId + "/" + operation, summary);
    }

    /** Plant, hub and ERP agree for this order operation: clears an open {@value #VARIANCE} alert. */
    public void reconciled(String orderId, String operation) {
        clear(VARIANCE, orderId + "/" + operation, "plant, hub and ERP agree for order " + orderId + " operation " + operation);
    }

    /** Open alerts, for tests and health. */
    List<Alert> open() {
        return List.copyOf(open.values());
    }

    private void raise(String rule, String severity, String key, String summary) {
        Instant now = clock.instant();
        Alert alert = new Alert(UUID.randomUUID().toString(), rule, "RAISED", severity, key, summary, now, null);
        if (open.putIfAbsent(rule + "|" + key, alert) == null) {
            log.error("ALERT raised rule={} severity={} key={} summary={}", rule, severity, key, summary);
            publish(alert, key);
        }
    }

    private void clear(String rule, String key, String summary) {
        Alert raised = open.remove(rule + "|" + key);
        if (raised != null) {
            log.info("Alert cleared rule={} key={} alertId={}", rule, key, raised.alertId());
            publish(new Alert(raised.alertId(), rule, "CLEARED", raised.severity(), key, summary, raised.since(), null), key);
        }
    }

    private void publish(Alert alert, String subject) {
        try {
            producer.sendBody(Endpoints.EVENT_PUBLISH,
                    List.of(EventEnvelope.of(EventType.ALERT, SOURCE, subject, clock.instant(), alert.alertId(), alert)));
        } catch (RuntimeException e) {
            log.warn("ERP alert could not be published rule={} key={} status={} reason={}", alert.rule(), alert.key(),
                    alert.status(), e.getMessage());
        }
    }
}
