package io.millwright.analytics;

import io.millwright.model.Endpoints;
import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The shift-end KPI side route: a timer asks the {@link ShiftKpiPublisher} for the shifts that
 * ended and publishes their {@code kpi} events like every canonical event. A failing OEE query
 * (lake unreadable) or publish is logged, and the same shifts are tried again at the next check.
 */
class KpiRoute extends RouteBuilder {

    static final String ROUTE_ID = "analytics-kpi-shift-end";
    private static final String DUE = "millwrightShiftKpiDue";

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
                .process(exchange -> {
                    ShiftKpiPublisher.Due due = publisher.next();
                    exchange.setProperty(DUE, due);
                    exchange.getMessage().setBody(due.events());
                })
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                    .to(Endpoints.EVENT_PUBLISH)
                .end()
                // only once published: a failed publish leaves the mark, and the next check tries these shifts again
                .process(exchange -> publisher.published(exchange.getProperty(DUE, ShiftKpiPublisher.Due.class)));
    }
}
