package io.millwright.ops;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Routes that must run on one hub instance at a time: the OPC UA subscriptions (a second session
 * per server would double every value downstream). A route joins by its group, {@value #GROUP}.
 *
 * <p>With {@code millwright.cluster.enabled} each such route gets Camel's {@link
 * ClusteredRoutePolicy} in its own namespace (the route id): the instance that holds the route's
 * lock in the cluster service runs it, the others keep it stopped and take over when the leader
 * stops or dies. One namespace per route spreads the connections over the instances. Without a
 * cluster the group has no effect.
 */
public final class RunOnceRoutes implements RoutePolicyFactory {

    /** The route group of run-once routes. */
    public static final String GROUP = "run-once";

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || !GROUP.equals(definition.getGroup())) {
            return null;
        }
        try {
            return ClusteredRoutePolicy.forNamespace(camelContext, routeId);
        } catch (Exception e) {
            throw new RuntimeCamelException("Route " + routeId + " is run-once but no cluster service is there: " + e.getMessage(), e);
        }
    }

    /** Camel's file-lock cluster service with the hub's settings. */
    public static FileLockClusterService fileLockService(ClusterProperties properties) {
        if (properties.root() == null || properties.root().isBlank()) {
            throw new IllegalStateException("millwright.cluster.enabled=true needs millwright.cluster.root:"
                    + " a folder every hub instance shares (README \"Scale out\")");
        }
        FileLockClusterService service = new FileLockClusterService();
        service.setId("millwright-file-lock");
        service.setRoot(properties.root());
        // the single-argument setters count in the service's default unit, seconds
        service.setAcquireLockDelay(properties.acquireLockDelay().toMillis(), TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(properties.acquireLockInterval().toMillis(), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(properties.heartbeatTimeoutMultiplier());
        return service;
    }
}
