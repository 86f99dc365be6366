package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.millwright.model.DiscoveredNode;
import io.millwright.model.Endpoints;
import io.millwright.ops.ErrorPolicies;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Discovered nodes are resolved by the asset registry on their browse paths; one it does not map is
 * reported once (a log line with its browse path and the registry's list of unmapped nodes).
 */
class DiscoveredNodesRouteTest {

    private static final String NODE = "nsu=urn:millwright:sim:plant;s=";

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private CamelContext camel;
    private AssetRegistry registry;

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(AssetRegistry.class)).addAppender(logs);
        registry = new AssetRegistry(Path.of("mappings/assets.yaml"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ErrorPolicies());
        camel.addRoutes(new DiscoveredNodesRoute(registry));
        camel.start();
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(AssetRegistry.class)).detachAppender(logs);
        camel.stop();
    }

    @Test
    void unmappedNodeReportedOnce_mappedOneNot() {
        List<DiscoveredNode> nodes = List.of(
                new DiscoveredNode("plant-sim", NODE + "Line1.Machine1.State", "Plant/Line1/Machine1/State"),
                new DiscoveredNode("plant-sim", NODE + "Line9.Machine1.Torque", "Plant/Line9/Machine1/Torque"));

        camel.createProducerTemplate().sendBody(Endpoints.NODES_DISCOVERED, nodes);
        camel.createProducerTemplate().sendBody(Endpoints.NODES_DISCOVERED, nodes);

        List<String> warnings = logs.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).singleElement().asString().startsWith("Discovered node not mapped connection=plant-sim node="
                + NODE + "Line9.Machine1.Torque browsePath=Plant/Line9/Machine1/Torque;");
        assertThat(registry.unmappedNodes()).singleElement()
                .satisfies(node -> assertThat(node.nodeId()).isEqualTo(NODE + "Line9.Machine1.Torque"));
    }
}
