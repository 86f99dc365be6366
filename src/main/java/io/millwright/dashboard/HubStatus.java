package io.millwright.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.erp.ConfirmationTracking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
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

    private final HealthEndpoint health;
    private final MeterRegistry meters;
    private final ConfirmationTracking tracking;
    private final CamelContext camel;
    private final DashboardProperties properties;

    HubStatus(HealthEndpoint health, MeterRegistry meters, ConfirmationTracking tracking, CamelContext camel,
            DashboardProperties properties) {
        this.health = health;
        this.meters = meters;
        this.tracking = tracking;
        this.camel = camel;
        this.properties = properties;
    }

    /** Every health component below the root, with its status. */
    List<ComponentHealth> components() {
        List<ComponentHealth> out = new ArrayList<>();
        if (health.health() instanceof CompositeHealth composite) {
            composite.getComponents().forEach((name, component) -> out.add(new ComponentHealth(name, component.getStatus().getCode())));
        }
        return out;
    }

    /** The OPC UA connections with their session and security. */
    List<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        if (health.health() instanceof CompositeHealth composite) {
            HealthComponent opcua = composite.getComponents().get("opcUa");
            if (opcua instanceof Health withDetails) {
                withDetails.getDetails().forEach((name, value) -> {
                    if (value instanceof Map<?, ?> details && details.containsKey("connected")) {
                        out.add(new Connection(name, Boolean.TRUE.equals(details.get("connected")), text(details.get("securityPolicy")),
                                text(details.get("securityMode")), text(details.get("lastValueTime"))));
                    }
                });
            }
        }
        return out;
    }

    ErpBacklog erpBacklog() {
        return new ErpBacklog(depth("pending"), depth("parked"), gauge(meters.find("millwright.erp.outbox.oldest.pending.age").gauge()),
                tracking.latest(properties.confirmations()));
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
        Double value = gauge(meters.find("millwright.erp.outbox.depth").tag("status", status).gauge());
        return value == null ? null : value.longValue();
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
