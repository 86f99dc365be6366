package io.millwright.analytics;

import io.millwright.model.Endpoints;
import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The shift-end KPI side route: a timer asks the {@link ShiftKpiPublisher} for the shifts that
 * ended and publishes their {@code kpi} events like every canonical event. A failing OEE query
 * (lake unreadable) is logged and the shift's events are not retried.
 */
class KpiRoute extends RouteBuilder {

    static final String ROUTE_ID = "analytics-kpi-shift-end";

    private final ShiftKpiPublisher publisher;
    private final AnalyticsProperties.Kpi settings;

    KpiRoute(ShiftKpiPublisher publisher, AnalyticsProperties.Kpi settings) {
        this.publisher = publisher;
        this.settings = settings;
    }

    @Override
    public void configure() {
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Shift KPI not published reason=${exception.message}");

        from("timer:analytics-kpi-shift-end?period=" + settings.checkInterval().toMillis() + "&delay=" + settings.checkInterval().toMillis())
                .routeId(ROUTE_ID)
                .routeProperty("layer", "3").routeProperty("outcome", "throughput")
                .routeDescription("KPI: at each shift end of millwright.analytics.oee.shifts, a kpi event (OEE) per millwright.analytics.kpi.assets")
                .process(exchange -> exchange.getMessage().setBody(publisher.due()))
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                .to(Endpoints.EVENT_PUBLISH);
    }
}
