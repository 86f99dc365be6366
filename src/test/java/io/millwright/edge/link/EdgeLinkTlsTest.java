package io.millwright.edge.link;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.backbone.TlsKeystore;
import io.millwright.mes.OutgoingEvent;
import io.millwright.model.MachineState;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.TestKeystores;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge-to-central link over TLS: the central hub's acceptor serves TLS only (its key store,
 * made by keytool, CN and SAN localhost/127.0.0.1); the edge's core bridge trusts that
 * certificate from {@code millwright.edge.tls.trust-store} and checks the host. An edge without
 * the trust store never gets its link up.
 */
class EdgeLinkTlsTest {

    @TempDir Path dir;
    final int centralPort = FreePorts.next();
    EmbeddedArtemisBroker central;
    TestEdgeBroker edge;
    Path keystore;

    @AfterEach
    void stop() throws Exception {
        TestEdgeBroker.close(edge);
        if (central != null) {
            central.close();
        }
    }

    @Test
    void eventsCrossTheLinkOverTls_inOrder_andAPlainEdgeIsNotLetIn() throws Exception {
        keystore = TestKeystores.selfSigned(dir, "central");
        central = new EmbeddedArtemisBroker("127.0.0.1", centralPort, dir.resolve("central"), EdgeLinkFixtures.HUB,
                EdgeLinkFixtures.MES, List.of(new CentralIngestBroker(new CentralIngestProperties("edge", EdgeLinkFixtures.EDGE_PASSWORD, 1000))))
                .withTls(new TlsKeystore(keystore, TestKeystores.PASSWORD, "PKCS12"));
        central.start();

        // without the trust store: the bridge's plain TCP handshake never completes, nothing leaves the buffer
        startEdge(new EdgeLinkProperties.Tls("", "", "PKCS12", true));
        edge.sender.send(List.of(EdgeLinkFixtures.machineState("acme/plant-1/press/line-1/cell-1", MachineState.RUNNING)));
        EdgeLinkMonitor plain = edge.monitor;
        Thread.sleep(2_000); // a bounded look at a link that must stay down (it retries every 100-500 ms)
        assertThat(plain.snapshot().up()).isFalse();
        assertThat(plain.snapshot().messages()).isEqualTo(1);
        edge.close();

        // with it: the 1 waiting event (same data folder) and 20 more arrive, in order
        startEdge(new EdgeLinkProperties.Tls(keystore.toString(), TestKeystores.PASSWORD, "PKCS12", true));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            OutgoingEvent event = EdgeLinkFixtures.machineState("acme/plant-1/press/line-1/cell-1",
                    i % 2 == 0 ? MachineState.IDLE : MachineState.RUNNING);
            edge.sender.send(List.of(event));
            sent.add(event.envelope().id());
        }
        EdgeLinkMonitor monitor = edge.monitor;
        await().atMost(ofSeconds(30)).until(() -> monitor.snapshot().up() && monitor.snapshot().messages() == 0);

        List<String> received = new ArrayList<>();
        String tlsUrl = central.acceptorUri() + "?sslEnabled=true;trustStorePath=" + keystore + ";trustStorePassword="
                + TestKeystores.PASSWORD + ";trustStoreType=PKCS12";
        try (Connection connection = new ActiveMQConnectionFactory(tlsUrl)
                .createConnection(EdgeLinkFixtures.HUB.user(), EdgeLinkFixtures.HUB.password())) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(EdgeLink.INGRESS));
            for (Message message = consumer.receive(5_000); message != null; message = consumer.receive(1_000)) {
                received.add(message.getStringProperty("ce_id"));
            }
        }
        assertThat(received).hasSize(21).endsWith(sent.toArray(String[]::new));
    }

    private void startEdge(EdgeLinkProperties.Tls tls) throws Exception {
        edge = TestEdgeBroker.start(dir.resolve("edge"), EdgeLinkFixtures.link("tcp://localhost:" + centralPort,
                EdgeLinkFixtures.buffer(1000, EdgeLinkProperties.FullPolicy.DROP_OLDEST), tls));
    }
}
