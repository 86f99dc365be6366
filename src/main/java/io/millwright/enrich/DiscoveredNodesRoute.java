package io.millwright.enrich;

import io.millwright.model.DiscoveredNode;
import io.millwright.model.Endpoints;
import io.millwright.ops.ErrorPolicies;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Variables a source adapter discovered by browsing ({@value Endpoints#NODES_DISCOVERED}): each is
 * resolved by the asset registry on its node id and its browse path (explicit entries first, then the
 * rules of {@code mappings/asset-rules.yaml}); the registry remembers the browse path for the node's
 * values and reports a node nothing maps once (a log line and the {@code assetRegistry} health
 * details), not with every value it sends.
 */
@Component
class DiscoveredNodesRoute extends RouteBuilder {

    static final String ROUTE_ID = "enrich-nodes-discovered";
    private static final Logger log = LoggerFactory.getLogger(DiscoveredNodesRoute.class);

    private final AssetRegistry registry;

    DiscoveredNodesRoute(AssetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure() {
        from(Endpoints.NODES_DISCOVERED)
                .routeId(ROUTE_ID)
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Checks variables found by browse discovery against the asset registry")
                .routeConfigurationId(ErrorPolicies.HUB_ERRORS)
                .process(this::check);
    }

    private void check(Exchange exchange) {
        List<?> nodes = exchange.getMessage().getBody(List.class);
        int unmapped = 0;
        for (Object entry : nodes) {
            DiscoveredNode node = (DiscoveredNode) entry;
            if (registry.resolve(node.connection(), node.nodeId(), node.browsePath()).isEmpty()) {
                unmapped++;
            }
        }
        log.info("Discovered nodes checked against the asset registry nodes={} unmapped={}", nodes.size(), unmapped);
    }
}
