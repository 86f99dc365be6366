package io.millwright.ot;

import io.millwright.ot.OpcUaConnection.OpcUaNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * One camel-milo consumer route per node of every enabled OPC UA connection file. Each route
 * turns the Milo {@code DataValue} into the plain signal map of {@link DataValueConverter} and
 * sends it to {@value #SIGNAL_ENDPOINT}.
 *
 * <p>Route ids: {@code ot-<connection>-opcua-ingest-<node name>}, e.g.
 * {@code ot-plant-sim-opcua-ingest-line1-machine1-state}. All routes of one connection share one
 * Milo client (camel-milo caches connections by endpoint URL and {@code clientId}; the
 * connection id is the client id, so two files never share a client by accident).
 *
 * <p>The routes run on Milo's notification thread (one per subscription): whatever
 * {@value #SIGNAL_ENDPOINT} does synchronously holds up the next notification.
 */
@Component
@ConditionalOnProperty(prefix = "millwright.ot", name = "enabled", matchIfMissing = true)
public class OpcUaIngestRoutes extends RouteBuilder {

    /** Where every OPC UA value goes, as a {@code Map<String, Object>}. */
    public static final String SIGNAL_ENDPOINT = io.millwright.model.Endpoints.TELEMETRY_INTAKE;

    private static final Logger log = LoggerFactory.getLogger(OpcUaIngestRoutes.class);

    private final List<OpcUaConnection> connections;

    public OpcUaIngestRoutes(
            OpcUaConnectionFiles connectionFiles, @Value("${millwright.adapters-dir:adapters}") Path adaptersDir) {
        this.connections = connectionFiles.load(adaptersDir.resolve("opcua"));
    }

    /** The connections read at start-up, disabled ones included. */
    public List<OpcUaConnection> connections() {
        return connections;
    }

    @Override
    public void configure() {
        for (OpcUaConnection connection : connections) {
            if (!connection.enabled()) {
                log.info("OPC UA connection disabled connection={} file={}", connection.id(), connection.file());
                continue;
            }
            for (OpcUaNode node : connection.nodes()) {
                from(consumerUri(connection, node))
                        .routeId(routeId(connection, node))
                        .routeDescription("OPC UA " + node.nodeId() + " from " + connection.id() + " to " + SIGNAL_ENDPOINT)
                        .process(exchange -> exchange.getMessage()
                                .setBody(List.of(reading(connection, node, exchange.getMessage().getMandatoryBody(DataValue.class)))))
                        .to(SIGNAL_ENDPOINT);
            }
            log.info(
                    "OPC UA ingest routes created connection={} endpoint={} nodes={} overrideHost={} security={} user={}",
                    connection.id(),
                    connection.endpoint(),
                    connection.nodes().size(),
                    connection.overrideHost(),
                    connection.securityPolicies(),
                    connection.username() == null ? "anonymous" : connection.username());
        }
    }

    private static io.millwright.model.SourceReading reading(OpcUaConnection connection, OpcUaNode node, DataValue value) {
        var signal = DataValueConverter.toSignal(connection.id(), connection.endpoint(), node.nodeId(), value);
        return new io.millwright.model.SourceReading(connection.id(), "opcua://" + connection.id(), node.nodeId(),
                signal.get("value"), (Long) signal.get("statusCode"),
                signal.get("sourceTime") == null ? null : java.time.Instant.parse((String) signal.get("sourceTime")),
                signal.get("serverTime") == null ? null : java.time.Instant.parse((String) signal.get("serverTime")));
    }

    /** {@code ot-<connection>-opcua-ingest-<node name>}. */
    public static String routeId(OpcUaConnection connection, OpcUaNode node) {
        return "ot-" + connection.id() + "-opcua-ingest-" + node.name();
    }

    /**
     * The camel-milo consumer URI. The password stays a {@code {{VARIABLE}}} placeholder, which
     * Camel resolves from the Spring environment when it creates the endpoint, so route dumps and
     * the route model never hold it (Camel masks it in endpoint URIs).
     */
    static String consumerUri(OpcUaConnection connection, OpcUaNode node) {
        String endpoint = connection.endpoint();
        if (connection.username() != null) {
            endpoint = endpoint.replaceFirst(
                    "^opc\\.tcp://",
                    "opc.tcp://" + connection.username() + ":{{" + connection.passwordVariable() + "}}@");
        }
        String raw = node.nodeId().contains(")") ? "RAW{" + node.nodeId() + "}" : "RAW(" + node.nodeId() + ")";
        return "milo-client:" + endpoint
                + "?node=" + raw
                + "&clientId=" + connection.id()
                + "&overrideHost=" + connection.overrideHost()
                + "&allowedSecurityPolicies=" + String.join(",", connection.securityPolicies())
                // a Bad status arrives with a null value: let it through so the pipeline sees it
                + "&omitNullValues=false";
    }
}
