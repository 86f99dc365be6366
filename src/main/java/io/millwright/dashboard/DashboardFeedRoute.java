package io.millwright.dashboard;

import io.millwright.model.Endpoints;
import io.millwright.model.EventEnvelope;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The live event feed ({@value Endpoints#EVENT_FEED}) into the plant view and out to the live
 * clients. Projection and broadcast run under the plant view's lock, the same one a client's
 * snapshot is taken under, so a client sees each event exactly once, after its snapshot. Broadcast
 * only fills the clients' bounded buffers; nothing here waits for a browser.
 */
@Component
class DashboardFeedRoute extends RouteBuilder {

    static final String ROUTE_ID = "dashboard-live-feed";

    private final PlantView plant;
    private final LiveFeed feed;

    DashboardFeedRoute(PlantView plant, LiveFeed feed) {
        this.plant = plant;
        this.feed = feed;
    }

    @Override
    public void configure() {
        // a live view is not a record: an event it cannot read is logged and skipped, never parked
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .log(LoggingLevel.WARN, "Dashboard skipped a live event batch reason=${exception.message}");

        from(Endpoints.EVENT_FEED)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "4").routeProperty("outcome", "throughput")
                .routeDescription("Live canonical events into the dashboard's plant view and out to its server-sent event clients")
                .process(this::project);
    }

    @SuppressWarnings("unchecked")
    private void project(Exchange exchange) {
        List<EventEnvelope<?>> events = exchange.getMessage().getBody(List.class);
        synchronized (plant) {
            feed.broadcast(plant.apply(events));
        }
    }
}
