package io.millwright.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.TestKeystores;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Artemis acceptor with a TLS key store made by keytool, as a client sees it: a JMS client
 * that trusts the certificate logs in and receives; a plain-TCP client and an MQTT client without
 * TLS do not get in.
 */
@ExtendWith(OutputCaptureExtension.class)
class ArtemisTlsTest {

    static final String HUB_PASSWORD = "test-hub-Tls-1";
    static final String MES_PASSWORD = "test-mes-Tls-1";

    @TempDir
    static Path dir;

    static Path keystore;
    static EmbeddedArtemisBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        keystore = TestKeystores.selfSigned(dir, "artemis");
        broker = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dir.resolve("data"),
                        new EmbeddedArtemisBroker.Credentials("millwright-hub", HUB_PASSWORD),
                        new EmbeddedArtemisBroker.Credentials("mes", MES_PASSWORD))
                .withTls(new TlsKeystore(keystore, TestKeystores.PASSWORD, "PKCS12"));
        broker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    String tlsUrl() {
        return broker.acceptorUri() + "?sslEnabled=true;trustStorePath=" + keystore
                + ";trustStorePassword=" + TestKeystores.PASSWORD + ";trustStoreType=PKCS12";
    }

    @Test
    void mesReceivesOverTls_whatTheHubSendsOverTls() throws Exception {
        try (Connection mes = new ActiveMQConnectionFactory(tlsUrl()).createConnection("mes", MES_PASSWORD);
                Connection hub = new ActiveMQConnectionFactory(tlsUrl()).createConnection("millwright-hub", HUB_PASSWORD)) {
            mes.start();
            Session mesSession = mes.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = mesSession.createTopic("millwright.events.machine-state");
            MessageConsumer consumer = mesSession.createConsumer(topic);
            Session hubSession = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = hubSession.createProducer(hubSession.createTopic("millwright.events.machine-state"));
            BytesMessage sent = hubSession.createBytesMessage();
            sent.writeBytes("{\"state\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8));
            producer.send(sent);

            BytesMessage received = (BytesMessage) consumer.receive(10_000);
            assertThat(received).isNotNull();
            byte[] body = new byte[(int) received.getBodyLength()];
            received.readBytes(body);
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"RUNNING\"}");
        }
    }

    /**
     * The hub's own TLS connection carries the trust store's password in its broker URL
     * ({@code spring.artemis.broker-url=...;trustStorePassword=${MILLWRIGHT_TLS_KEYSTORE_PASSWORD}}):
     * when that connection fails (a wrong password, here), neither Artemis's log lines, nor the
     * exception, nor the connection factory as text show the password.
     */
    @Test
    void trustStorePasswordInNoLogLineNorError_whenTheTlsConnectionFails(CapturedOutput output) throws Exception {
        String url = broker.acceptorUri() + "?sslEnabled=true;trustStorePath=" + keystore
                + ";trustStorePassword=" + TestKeystores.PASSWORD + ";trustStoreType=PKCS12"
                + ";callTimeout=3000;connectionTTL=3000;initialConnectAttempts=1";
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (Connection connection = factory.createConnection("mes", "wrong-" + MES_PASSWORD)) {
                connection.start();
            }
        });

        assertThat(failure).as("login with a wrong password").isInstanceOf(JMSException.class);
        StringBuilder chain = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        assertThat(chain.toString()).doesNotContain(TestKeystores.PASSWORD);
        // control: the factory's text shows the URL's parameters, the password's among them, masked
        assertThat(factory.toString()).contains("trustStorePath").doesNotContain(TestKeystores.PASSWORD);
        assertThat(output.getAll()).as("console output").doesNotContain(TestKeystores.PASSWORD);
    }

    @Test
    void plainTcpClientIsRefused() {
        ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory(
                broker.acceptorUri() + "?callTimeout=3000;connectionTTL=3000;initialConnectAttempts=1");
        assertThatThrownBy(() -> {
            try (Connection connection = plain.createConnection("mes", MES_PASSWORD)) {
                connection.start();
            }
        }).isInstanceOf(JMSException.class);
    }

    @Test
    void mqttWithoutTlsIsRefused() throws Exception {
        MqttClient mqtt = new MqttClient(broker.acceptorUri(), "mes-plain-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("mes");
        options.setPassword(MES_PASSWORD.toCharArray());
        options.setConnectionTimeout(5);
        try {
            assertThatThrownBy(() -> mqtt.connect(options)).isInstanceOf(MqttException.class);
        } finally {
            mqtt.close(true);
        }
    }
}
