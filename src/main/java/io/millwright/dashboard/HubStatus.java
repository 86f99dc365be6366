package io.millwright.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.erp.ConfirmationTracking;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The hub's own state as the dashboard and the maturity scores read it, through the hub's public
 * surfaces only: the health components (as {@code /actuator/health} shows them), the ERP outbox
 * gauges ({@code millwright.erp.outbox.*}), the tracking store and the Camel context.
 */
@Component
class HubStatus {

    /** One health component: name and status (UP, DOWN, OUT_OF_SERVICE, UNKNOWN). */
    record ComponentHealth(String name, String status) {}

    /** One OPC UA connection, from health component {@code opcUa}. */
    record Connection(String name, boolean connected, String securityPolicy, String securityMode, String lastValueTime) {
        boolean isSecured() {
            return securityPolicy != null && !securityPolicy.isBlank() && !securityPolicy.endsWith("None");
        }
    }

    /** The ERP outbox: rows waiting, parked, the oldest wait, and the last confirmations. */
    record ErpBacklog(Long pending, Long parked, Double oldestPendingAgeSeconds, List<Map<String, Object>> lastConfirmations) {}

    /** The OPC UA health component (bean {@code opcua} in {@code ot}). */
    static final String OPC_UA_COMPONENT = "opcua";

    // optional: a hub with a layer switched off (no ERP outbox, health endpoint off) still has a dashboard
    private final ObjectProvider<HealthEndpoint> health;
    private final ObjectProvider<HealthContributorRegistry> contributors;
    private final MeterRegistry meters;
    private final ObjectProvider<ConfirmationTracking> tracking;
    private final CamelContext camel;
    private final DashboardProperties properties;

    HubStatus(ObjectProvider<HealthEndpoint> health, ObjectProvider<HealthContributorRegistry> contributors, MeterRegistry meters,
            ObjectProvider<ConfirmationTracking> tracking, CamelContext camel,
            DashboardProperties properties) {
        this.health = health;
        this.contributors = contributors;
        this.meters = meters;
        this.tracking = tracking;
        this.camel = camel;
        this.properties = properties;
    }

    /** Every health component below the root, with its status. */
    List<ComponentHealth> components() {
        List<ComponentHealth> out = new ArrayList<>();
        HealthEndpoint endpoint = health.getIfAvailable();
        if (endpoint != null && endpoint.health() instanceof CompositeHealth composite) {
            composite.getComponents().forEach((name, component) -> out.add(new ComponentHealth(name, component.getStatus().getCode())));
        }
        return out;
    }

    /**
     * The OPC UA connections with their session and security: the details of health component
     * {@value #OPC_UA_COMPONENT}, read from the indicator itself (the endpoint shows details only to
     * an authorized caller).
     */
    List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        HealthContributorRegistry registry = contributors.getIfAvailable();
        if (registry != null && registry.getContributor(OPC_UA_COMPONENT) instanceof HealthIndicator opcua) {
            opcua.getHealth(true).getDetails().forEach((name, value) -> {
                if (value instanceof Map<?, ?> details && details.containsKey("connected")) {
                    out.add(new Connection(name, Boolean.TRUE.equals(details.get("connected")), text(details.get("securityPolicy")),
                            text(details.get("securityMode")), text(details.get("lastValueTime"))));
                }
            });
        }
        return out;
    }

    ErpBacklog erpBacklog() {
        ConfirmationTracking documents = tracking.getIfAvailable();
        return new ErpBacklog(depth("pending"), depth("parked"), oldest(meters.find("millwright.erp.outbox.oldest.pending.age").gauges()),
                documents == null ? List.of() : documents.latest(properties.confirmations()));
    }

    /** Routes started and routes in the Camel context. */
    Map<String, Integer> routes() {
        int started = 0;
        for (var route : camel.getRoutes()) {
            if (camel.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started) {
                started++;
            }
        }
        Map<String, Integer> routes = new LinkedHashMap<>();
        routes.put("started", started);
        routes.put("total", camel.getRoutes().size());
        return routes;
    }

    private Long depth(String status) {
        // one gauge per ERP document type: their sum
        Collection<Gauge> gauges = meters.find("millwright.erp.outbox.depth").tag("status", status).gauges();
        Long sum = null;
        for (Gauge gauge : gauges) {
            Double value = gauge(gauge);
            if (value != null) {
                sum = (sum == null ? 0 : sum) + value.longValue();
            }
        }
        return sum;
    }

    /** The oldest pending age over the ERP document types. */
    private static Double oldest(Collection<Gauge> gauges) {
        Double oldest = null;
        for (Gauge gauge : gauges) {
            Double value = gauge(gauge);
            if (value != null && (oldest == null || value > oldest)) {
                oldest = value;
            }
        }
        return oldest;
    }

    private static Double gauge(Gauge gauge) {
        if (gauge == null) {
            return null;
        }
        double value = gauge.value();
        return Double.isNaN(value) ? null : value;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
