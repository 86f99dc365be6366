package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.testsupport.FreePorts;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * An in-process Milo server on a free loopback port with a {@link TestNamespace}, SecurityPolicy
 * None and anonymous access, that states {@code maxMonitoredItemsPerCall} in its OperationLimits.
 */
final class TestServer implements AutoCloseable {

    private static final String PATH = "/test";

    private final OpcUaServer server;
    private final TestNamespace namespace;
    private final int port;

    TestServer(int maxMonitoredItemsPerCall) throws Exception {
        this(maxMonitoredItemsPerCall, FreePorts.next());
    }

    /** A server on {@code port}, e.g. the port of one that was closed, to play a server restart. */
    TestServer(int maxMonitoredItemsPerCall, int port) throws Exception {
        this.port = port;
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath(PATH)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:millwright:test:server")
                .setApplicationName(LocalizedText.english("Millwright test server"))
                .setProductUri("urn:millwright:test")
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public UInteger getMaxMonitoredItemsPerCall() {
                        return uint(maxMonitoredItemsPerCall);
                    }
                })
                .build();
        server = new OpcUaServer(config, profile -> profile == TransportProfile.TCP_UASC_UABINARY
                ? new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build())
                : null);
        namespace = new TestNamespace(server);
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
    }

    String endpointUrl() {
        return "opc.tcp://127.0.0.1:" + port + PATH;
    }

    int port() {
        return port;
    }

    TestNamespace namespace() {
        return namespace;
    }

    @Override
    public void close() {
        namespace.shutdown();
        server.shutdown();
    }
}
