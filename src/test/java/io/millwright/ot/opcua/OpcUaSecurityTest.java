package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.SourceReading;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.OpcUaConnection.SecuritySettings;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import io.millwright.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed and encrypted sessions against an in-process Milo server whose secure endpoints accept
 * only a user name with password or a user certificate: certificate trust through the trust list
 * under the data directory, a refused server certificate in rejected/ and in the health details,
 * and the connection coming up by itself once the file is moved to trusted/certs/.
 */
class OpcUaSecurityTest {

    private static final Logger log = LoggerFactory.getLogger(OpcUaSecurityTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "p@ss wörd:{}";

    private static TestServer server;
    private static TestServer.Secure secure;

    @TempDir
    Path dataDir;

    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private CamelContext camel;
    private OpcUaSubscriptionComponent component;
    private ClientPki pki;

    @BeforeAll
    static void startServer() throws Exception {
        secure = TestServer.Secure.generate("operator", PASSWORD);
        server = new TestServer(1_000, FreePorts.next(), secure);
        server.namespace().addPushed("Secure.Speed", 12.5);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (pki != null) {
            pki.close();
        }
    }

    @Test
    void untrustedServerCertificate_landsInRejected_showsInHealth_andConnectsOnceMovedToTrusted() throws Exception {
        start(List.of("Basic256Sha256"), new SecuritySettings(null, null, null), "operator");
        OpcUaConnectionStatus status = component.statuses().get("secure");

        await().atMost(WAIT).until(() -> status.untrustedServerCertificate() != null);
        Path rejected = dataDir.resolve("pki/rejected");
        List<Path> files;
        try (Stream<Path> listing = Files.list(rejected)) {
            files = listing.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(Files.readAllBytes(files.get(0))).isEqualTo(secure.certificate().getEncoded());
        Map<String, String> detail = status.untrustedServerCertificate();
        Path trusted = dataDir.resolve("pki/trusted/certs").toAbsolutePath();
        assertThat(detail).containsEntry("server", server.endpointUrl())
                .containsEntry("subject", secure.certificate().getSubjectX500Principal().getName())
                .containsEntry("thumbprint", ClientPki.thumbprint(secure.certificate()))
                .containsEntry("trust", "mv '" + files.get(0).toAbsolutePath() + "' '" + trusted + "/'");
        assertThat(status.details()).containsEntry("untrustedServerCertificate", detail).containsEntry("connected", false);
        assertThat(status.isConnected()).isFalse();
        assertThat(readings).isEmpty();

        long movedAt = System.nanoTime();
        Files.move(files.get(0), trusted.resolve(files.get(0).getFileName()));

        await().atMost(Duration.ofSeconds(60)).until(status::isConnected);
        log.info("OPC UA connected after the certificate was trusted tookMs={}", (System.nanoTime() - movedAt) / 1_000_000);
        await().atMost(WAIT).until(() -> readings.stream().anyMatch(r -> Double.valueOf(12.5).equals(r.value())));
        assertThat(status.securityPolicy()).isEqualTo("Basic256Sha256");
        assertThat(status.securityMode()).isEqualTo("SignAndEncrypt"); // the most secure the server offers
        assertThat(status.untrustedServerCertificate()).isNull();
        assertThat(status.details()).doesNotContainKey("untrustedServerCertificate");
        assertThat(server.loggedIn).contains("user:operator");
    }

    // The other half of certificate trust: the hub trusts the server, the server does not trust the
    // hub yet (OPC 10000-4 5.5.2: it answers Bad_SecurityChecksFailed or Bad_CertificateUntrusted).
    // Health names the hub's certificate file and thumbprint to trust there; once the server trusts
    // it, the connection comes up by itself at the next retry (every 5 s while waiting for trust).
    @Test
    void serverRefusingTheHubCertificate_showsWhichCertificateToTrustThere_andConnectsOnceItDoes() throws Exception {
        trustServer();
        server.refuseClientCertificates = true;
        try {
            start(List.of("Basic256Sha256"), new SecuritySettings(null, null, null), "operator");
            OpcUaConnectionStatus status = component.statuses().get("secure");

            await().atMost(WAIT).until(() -> status.hubCertificateRefused() != null);
            Map<String, String> detail = status.hubCertificateRefused();
            Path hubCertificate = dataDir.resolve("pki/own/certs/millwright-hub.der").toAbsolutePath();
            assertThat(detail).containsEntry("server", server.endpointUrl())
                    .containsEntry("hubCertificate", hubCertificate.toString())
                    .containsEntry("thumbprint", ClientPki.thumbprint(pki.certificate()))
                    .containsEntry("applicationUri", pki.applicationUri())
                    .containsKey("status");
            assertThat(detail.get("status")).isIn("Bad_SecurityChecksFailed", "Bad_CertificateUntrusted");
            assertThat(detail.get("trust")).contains(hubCertificate.toString());
            assertThat(Files.readAllBytes(hubCertificate)).isEqualTo(pki.certificate().getEncoded());
            assertThat(status.details()).containsEntry("hubCertificateRefused", detail).containsEntry("connected", false);
            assertThat(status.untrustedServerCertificate()).isNull(); // the hub itself trusts the server
            assertThat(server.refusedClients.get()).isPositive();
        } finally {
            server.refuseClientCertificates = false;
        }
        long trustedAt = System.nanoTime();

        OpcUaConnectionStatus status = component.statuses().get("secure");
        await().atMost(Duration.ofSeconds(60)).until(status::isConnected);
        log.info("OPC UA connected after the server trusted the hub tookMs={}", (System.nanoTime() - trustedAt) / 1_000_000);
        await().atMost(WAIT).until(() -> readings.stream().anyMatch(r -> Double.valueOf(12.5).equals(r.value())));
        assertThat(status.hubCertificateRefused()).isNull();
        assertThat(status.details()).doesNotContainKey("hubCertificateRefused");
    }

    @Test
    void signOnly_whenSecurityModeSaysSign() throws Exception {
        trustServer();
        start(List.of("Basic256Sha256"), new SecuritySettings("Sign", null, null), "operator");
        OpcUaConnectionStatus status = component.statuses().get("secure");

        await().atMost(WAIT).until(() -> readings.stream().anyMatch(r -> Double.valueOf(12.5).equals(r.value())));
        assertThat(status.securityPolicy()).isEqualTo("Basic256Sha256");
        assertThat(status.securityMode()).isEqualTo("Sign");
    }

    @Test
    void x509UserIdentity_overAes256Sha256RsaPss() throws Exception {
        trustServer();
        KeyPair userKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate user = new SelfSignedCertificateBuilder(userKeys).setCommonName("line2-operator")
                .setApplicationUri("urn:millwright:test:user").build();
        Path certificate = Files.write(dataDir.resolve("line2-operator.der"), user.getEncoded());
        Path key = Files.writeString(dataDir.resolve("line2-operator.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(userKeys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        start(List.of("Basic256Sha256", "Aes256_Sha256_RsaPss"), new SecuritySettings(null, certificate, key), null);
        OpcUaConnectionStatus status = component.statuses().get("secure");

        await().atMost(WAIT).until(() -> readings.stream().anyMatch(r -> Double.valueOf(12.5).equals(r.value())));
        assertThat(status.securityMode()).isEqualTo("SignAndEncrypt");
        assertThat(status.securityPolicy()).isIn("Basic256Sha256", "Aes256_Sha256_RsaPss");
        assertThat(server.loggedIn).contains("x509:" + user.getSubjectX500Principal().getName());
    }

    private void trustServer() throws Exception {
        Path trusted = Files.createDirectories(dataDir.resolve("pki/trusted/certs"));
        Files.write(trusted.resolve("test-server.der"), secure.certificate().getEncoded());
    }

    private void start(List<String> policies, SecuritySettings security, String username) throws Exception {
        pki = ClientPki.open(dataDir.resolve("pki"));
        List<OpcUaNode> nodes = List.of(new OpcUaNode(TestNamespace.nodeId("Secure.Speed"), "secure-speed"));
        SubscriptionSettings settings = new SubscriptionSettings(
                Duration.ZERO, Duration.ofMillis(100), 2, true, Deadband.NONE);
        OpcUaConnection connection = new OpcUaConnection("secure", Path.of("adapters/opcua/secure.yaml"), true,
                server.endpointUrl(), false, policies, username, username == null ? null : "SECURE_OPCUA_PASSWORD",
                HandoffSettings.DEFAULTS, List.of(new NodeGroup(NodeGroup.DEFAULT_NAME, settings, nodes)), security);
        component = new OpcUaSubscriptionComponent(List.of(connection),
                name -> "SECURE_OPCUA_PASSWORD".equals(name) ? PASSWORD : null, new SimpleMeterRegistry(), pki);
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("opcua-subscription:secure").routeId("secure-opcua")
                        .process(exchange -> readings.addAll(exchange.getMessage().getBody(List.class)));
            }
        });
        camel.start();
    }
}
