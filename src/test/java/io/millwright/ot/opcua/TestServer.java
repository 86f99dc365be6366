package io.millwright.ot.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_X509;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.testsupport.FreePorts;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
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
 * None and anonymous access (and signed endpoints on request, see {@link Secure}), that states
 * {@code maxMonitoredItemsPerCall} in its OperationLimits.
 */
final class TestServer implements AutoCloseable {

    private static final String PATH = "/test";
    static final String SERVER_URI = "urn:millwright:test:server";

    /** The identities that logged in with a user name or a user certificate, e.g. {@code user:operator}. */
    final Set<String> loggedIn = ConcurrentHashMap.newKeySet();

    /** True: the secure endpoints refuse every client certificate, as a server that does not trust the client yet. */
    volatile boolean refuseClientCertificates;

    /** Client certificates refused so far. */
    final java.util.concurrent.atomic.AtomicInteger refusedClients = new java.util.concurrent.atomic.AtomicInteger();

    /** What a server with signed endpoints needs: its certificate and the one user it accepts. */
    record Secure(KeyPair keyPair, X509Certificate certificate, String user, String password) {

        /** A fresh self-signed server certificate for {@value #SERVER_URI} on 127.0.0.1. */
        static Secure generate(String user, String password) throws Exception {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("Millwright test server")
                    .setApplicationUri(SERVER_URI)
                    .addIpAddress("127.0.0.1")
                    .addDnsName("localhost")
                    .build();
            return new Secure(keyPair, certificate, user, password);
        }
    }

    private final OpcUaServer server;
    private final TestNamespace namespace;
    private final int port;

    TestServer(int maxMonitoredItemsPerCall) throws Exception {
        this(maxMonitoredItemsPerCall, FreePorts.next());
    }

    /** A server on {@code port}, e.g. the port of one that was closed, to play a server restart. */
    TestServer(int maxMonitoredItemsPerCall, int port) throws Exception {
        this(maxMonitoredItemsPerCall, port, null);
    }

    /**
     * A server on {@code port} that, with {@code secure} given, also offers Basic256Sha256 Sign and
     * SignAndEncrypt and Aes256_Sha256_RsaPss SignAndEncrypt with its own certificate, where only a
     * user name with password or an X.509 user certificate may log in; any client certificate is accepted
     * unless {@link #refuseClientCertificates} is set.
     */
    TestServer(int maxMonitoredItemsPerCall, int port, Secure secure) throws Exception {
        this.port = port;
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath(PATH);
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                .build());
        OpcUaServerConfigBuilder builder = OpcUaServerConfig.builder()
                .setApplicationUri(SERVER_URI)
                .setApplicationName(LocalizedText.english("Millwright test server"))
                .setProductUri("urn:millwright:test")
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public UInteger getMaxMonitoredItemsPerCall() {
                        return uint(maxMonitoredItemsPerCall);
                    }
                });
        if (secure != null) {
            EndpointConfig.Builder signed = base.copy()
                    .setCertificate(secure.certificate())
                    .addTokenPolicies(USER_TOKEN_POLICY_USERNAME, USER_TOKEN_POLICY_X509);
            endpoints.add(signed.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                    .setSecurityMode(MessageSecurityMode.Sign).build());
            endpoints.add(signed.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                    .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
            endpoints.add(signed.copy().setSecurityPolicy(SecurityPolicy.Aes256_Sha256_RsaPss)
                    .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
            CertificateFactory factory = new CertificateFactory() {
                @Override
                public KeyPair createKeyPair(NodeId certificateTypeId) {
                    return secure.keyPair();
                }

                @Override
                public X509Certificate[] createCertificateChain(NodeId certificateTypeId, KeyPair keyPair) {
                    return new X509Certificate[] {secure.certificate()};
                }

                @Override
                public ByteString createSigningRequest(NodeId certificateTypeId, KeyPair keyPair, X500Name subjectName,
                        String sanUri, List<String> sanDnsNames, List<String> sanIpAddresses) {
                    throw new UnsupportedOperationException("no signing requests in tests");
                }
            };
            CertificateValidator anyClient = (chain, applicationUri, hostnames) -> {
                if (refuseClientCertificates) {
                    refusedClients.incrementAndGet();
                    throw new org.eclipse.milo.opcua.stack.core.UaException(
                            org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_CertificateUntrusted, "client certificate not trusted");
                }
            };
            DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(
                    new MemoryTrustListManager(), new MemoryCertificateStore(), factory, anyClient);
            builder.setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine(), group))
                    .setIdentityValidator(new CompositeValidator(
                            new UsernameIdentityValidator(challenge -> {
                                boolean ok = secure.user().equals(challenge.getUsername())
                                        && secure.password().equals(challenge.getPassword());
                                if (ok) {
                                    loggedIn.add("user:" + challenge.getUsername());
                                }
                                return ok;
                            }),
                            new X509IdentityValidator(certificate -> loggedIn.add(
                                    "x509:" + certificate.getSubjectX500Principal().getName()))));
        }
        OpcUaServerConfig config = builder.setEndpoints(endpoints).build();
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

    /** Sessions open on the server now, over all clients. */
    int sessionCount() {
        return server.getSessionManager().getCurrentSessionCount().intValue();
    }

    /** Subscriptions the server holds now, over all sessions. */
    int subscriptionCount() {
        return server.getSubscriptions().size();
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
