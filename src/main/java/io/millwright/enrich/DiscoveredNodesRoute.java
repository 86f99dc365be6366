package io.millwright.enrich;

import io.millwright.model.DiscoveredNode;
import io.millwright.model.Endpoints;
import io.millwright.ops.ErrorPolicies;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Variables a source adapter discovered by browsing ({@value Endpoints#NODES_DISCOVERED}): each is
 * looked up in the asset registry, and one the registry does not map is reported once (a log line
 * with its browse path, which is what an asset rule matches), not with every value it sends.
 */
@Component
class DiscoveredNodesRoute extends RouteBuilder {

    static final String ROUTE_ID = "enrich-nodes-discovered";
    private static final Logger log = LoggerFactory.getLogger(DiscoveredNodesRoute.class);

    private final AssetRegistry registry;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    DiscoveredNodesRoute(AssetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() {
        from(Endpoints.NODES_DISCOVERED)
                .routeId(ROUTE_ID)
                .routeDescription("Checks variables found by browse discovery against the asset registry")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::check);
    }

    private void check(Exchange exchange) {
        List<?> nodes = exchange.getMessage().getBody(List.class);
        int unmapped = 0;
        for (Object entry : nodes) {
            DiscoveredNode node = (DiscoveredNode) entry;
            if (registry.find(node.connection(), node.nodeId()).isEmpty()) {
                unmapped++;
                if (reported.add(node.connection() + "|" + node.nodeId())) {
                    log.warn("Discovered node not in the asset registry connection={} node={} browsePath={}",
                            node.connection(), node.nodeId(), node.browsePath());
                }
            }
        }
        log.info("Discovered nodes checked against the asset registry nodes={} unmapped={}", nodes.size(), unmapped);
    }
}
