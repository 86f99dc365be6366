package io.millwright.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The platform's own {@code millwright_*} meters, scraped at {@code /actuator/prometheus} (behind
 * the login, viewer and up):
 *
 * <ul>
 *   <li>{@code millwright_routes{state="started"|"other"}}: Camel routes running or not;
 *   <li>{@code millwright_inflight_exchanges}: messages being processed right now (a graceful
 *       shutdown waits for these);
 *   <li>{@code millwright_route_files{state="running"|"rejected"}}: flow files in {@code routes/}
 *       whose latest save runs, or was rejected.
 * </ul>
 *
 * Each capability registers its own meters with the same {@code millwright.} prefix (Micrometer
 * names with dots; Prometheus shows them with underscores).
 */
@Component
class HubMetrics implements MeterBinder {

    private final CamelContext camelContext;
    private final ObjectProvider<RouteFiles> routeFiles;

    HubMetrics(CamelContext camelContext, ObjectProvider<RouteFiles> routeFiles) {
        this.camelContext = camelContext;
        this.routeFiles = routeFiles;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("millwright.routes", camelContext, context -> routes(context, true))
                .tag("state", "started").description("Camel routes that are started").register(registry);
        Gauge.builder("millwright.routes", camelContext, context -> routes(context, false))
                .tag("state", "other").description("Camel routes that are not started").register(registry);
        Gauge.builder("millwright.inflight.exchanges", camelContext,
                        context -> context.getInflightRepository().size())
                .description("Messages being processed by any route").register(registry);
        Gauge.builder("millwright.route.files", routeFiles, files -> routeFiles(files, false))
                .tag("state", "running").description("Flow files whose latest save runs").register(registry);
        Gauge.builder("millwright.route.files", routeFiles, files -> routeFiles(files, true))
                .tag("state", "rejected").description("Flow files whose latest save was rejected").register(registry);
    }

    private static double routes(CamelContext context, boolean started) {
        return context.getRoutes().stream()
                .filter(route -> (context.getRouteController().getRouteStatus(route.getRouteId())
                        == ServiceStatus.Started) == started)
                .count();
    }

    private static double routeFiles(ObjectProvider<RouteFiles> provider, boolean rejected) {
        RouteFiles files = provider.getIfAvailable();
        return files == null ? 0 : files.statuses().stream().filter(s -> s.isRejected() == rejected).count();
    }
}
