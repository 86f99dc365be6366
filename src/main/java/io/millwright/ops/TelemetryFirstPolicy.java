package io.millwright.ops;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Telemetry first, as a Camel {@link org.apache.camel.spi.RoutePolicy}: a side route with this policy
 * waits before each exchange (a Kafka poll, in the side routes' batching mode) while the telemetry
 * path is behind ({@link TelemetryPressure#yieldWhileBehind()}, bounded). The wait happens on the
 * route's consumer thread, before the route's first step, so the side route reads its topic later
 * instead of taking the CPU the telemetry needs. The consumer thread also runs at a lower
 * operating-system priority ({@link SideRouteThreads}, {@code millwright.side-routes.nice}), so
 * that work already under way gives the telemetry's threads the CPU first. One mechanism for every
 * side route, instead of a call in each of their processors.
 */
public final class TelemetryFirstPolicy extends RoutePolicySupport {

    private final TelemetryPressure pressure;

    public TelemetryFirstPolicy(TelemetryPressure pressure) {
        this.pressure = pressure;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        pressure.onSideRouteThread();
        try {
            pressure.yieldWhileBehind();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: work on, the route's shutdown takes it from here
        }
    }
}
