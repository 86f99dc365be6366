package io.millwright.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.testsupport.FreePorts;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The alert channels as a plant configures them in {@code alert-channels.yaml}, each against a real
 * receiver in this process: GreenMail's SMTP server (with a login), an embedded Artemis broker, an
 * HTTP server standing in for a Slack/Teams incoming webhook. Secrets come from the environment;
 * a channel without its target is off; a broken file names the channel and the field.
 */
class AlertChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertEngine.Alert RAISED = new AlertEngine.Alert("A-1", "maintenance-needed", "RAISED", "critical",
            "acme/springfield/assembly/line-1/machine-2 vibration", "maintenance-needed (critical) for acme/springfield/assembly/line-1/machine-2 vibration",
            Instant.parse("2026-11-30T10:00:00Z"), "ev-1");
    private static final byte[] CLOUD_EVENT = """
            {"specversion":"1.0","id":"ce-1","type":"io.millwright.alert.v1","data":{"alertId":"A-1"}}""".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(FreePorts.next(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @TempDir Path dir;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<String> chatBodies = new CopyOnWriteArrayList<>();
    private HttpServer chat;

    @BeforeEach
    void start() throws Exception {
        chat = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        chat.createContext("/services/T000/B000/XXXX", exchange -> {
            chatBodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        chat.start();
    }

    @AfterEach
    void stop() {
        chat.stop(0);
        camel.stop();
    }

    @Test
    void mailArtemisAndChatChannelsDeliverAnAlert_secretsFromTheEnvironment() throws Exception {
        smtp.setUser("alerts@plant.example", "smtp-user", "smtp-Secret-1");
        int artemisPort = FreePorts.next();
        try (EmbeddedArtemisBroker broker = new EmbeddedArtemisBroker("127.0.0.1", artemisPort, dir.resolve("artemis"))) {
            broker.start();
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + artemisPort);
            camel.addComponent("jms", JmsComponent.jmsComponent(factory));
            camel.start();
            MockEnvironment environment = new MockEnvironment()
                    .withProperty("MILLWRIGHT_ALERT_SMTP_HOST", "127.0.0.1")
                    .withProperty("MILLWRIGHT_ALERT_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
                    .withProperty("MILLWRIGHT_ALERT_SMTP_PASSWORD", "smtp-Secret-1")
                    .withProperty("MILLWRIGHT_ALERT_CHAT_URL", "http://127.0.0.1:" + chat.getAddress().getPort() + "/services/T000/B000/XXXX");
            List<AlertChannel> channels = read("""
                    channels:
                      - name: shift-lead-mail
                        type: mail
                        severities: [critical]
                        host: ${MILLWRIGHT_ALERT_SMTP_HOST:}
                        port: ${MILLWRIGHT_ALERT_SMTP_PORT:25}
                        username: smtp-user
                        password: ${MILLWRIGHT_ALERT_SMTP_PASSWORD}
                        from: millwright@plant.example
                        to: alerts@plant.example
                      - name: alert-address
                        type: artemis
                        address: millwright.alerts
                      - name: ops-chat
                        type: chat
                        url: ${MILLWRIGHT_ALERT_CHAT_URL:}
                      - name: pager
                        type: webhook
                        url: ${MILLWRIGHT_ALERT_PAGER_URL:}
                    """, environment);
            assertThat(channels).extracting(AlertChannel::name).as("the pager has no URL: off")
                    .containsExactly("shift-lead-mail", "alert-address", "ops-chat");
            assertThat(channels.get(0).takes("warning")).isFalse();

            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer subscriber = session.createConsumer(session.createTopic("millwright.alerts"), "severity = 'critical'");
                connection.start();
                for (AlertChannel channel : channels) {
                    assertThat(channel.deliver(RAISED, CLOUD_EVENT)).as(channel.name()).isTrue();
                    assertThat(channel.sent()).isEqualTo(1);
                }
                TextMessage onAddress = (TextMessage) subscriber.receive(5000);
                assertThat(onAddress).as("alert on the Artemis address").isNotNull();
                assertThat(JSON.readTree(onAddress.getText()).path("data").path("alertId").asText()).isEqualTo("A-1");
                assertThat(onAddress.getStringProperty("status")).isEqualTo("RAISED");
                assertThat(onAddress.getStringProperty("rule")).isEqualTo("maintenance-needed");
            }
        }

        assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("[Millwright] CRITICAL RAISED maintenance-needed for acme/springfield/assembly/line-1/machine-2 vibration");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("millwright@plant.example");
        assertThat(GreenMailUtil.getBody(mail)).contains("[CRITICAL] RAISED").contains("\"alertId\":\"A-1\"");

        assertThat(chatBodies).singleElement().satisfies(body -> {
            assertThat(body).startsWith("application/json ");
            JsonNode chatJson = JSON.readTree(body.substring(body.indexOf(' ') + 1));
            assertThat(chatJson.fieldNames()).toIterable().containsExactly("text");
            assertThat(chatJson.path("text").asText()).startsWith("[CRITICAL] RAISED maintenance-needed (critical) for acme/springfield/assembly/line-1/machine-2 vibration");
        });
    }

    @Test
    void aFailingChannelIsCountedAndNamedWithoutItsSecret() throws Exception {
        camel.start();
        int closedPort = FreePorts.next();
        List<AlertChannel> channels = read("""
                channels:
                  - name: ops-chat
                    type: chat
                    url: ${CHAT_URL}
                """, new MockEnvironment().withProperty("CHAT_URL", "http://127.0.0.1:" + closedPort + "/hooks/token-Secret-7"));
        AlertChannel channel = channels.get(0);
        assertThat(channel.deliver(RAISED, CLOUD_EVENT)).isFalse();
        assertThat(channel.failed()).isEqualTo(1);
        assertThat(channel.lastFailure()).contains("'ops-chat'").contains("chat").doesNotContain("token-Secret-7");
    }

    @Test
    void brokenChannelFilesNameTheChannelAndTheField() {
        camel.start();
        MockEnvironment environment = new MockEnvironment();
        assertThatThrownBy(() -> read("""
                channels:
                  - name: mail
                    type: mail
                    host: smtp.plant.example
                    username: alerts
                    password: Literal-Secret
                    from: a@b
                    to: c@d
                """, environment)).hasMessageContaining("channels[0] 'mail'").hasMessageContaining("'password' is a secret")
                .hasMessageNotContaining("Literal-Secret");
        assertThatThrownBy(() -> read("""
                channels:
                  - { name: pager, type: sms, url: "${X:}" }
                """, environment)).hasMessageContaining("'pager'").hasMessageContaining("'type' 'sms'");
        assertThatThrownBy(() -> read("""
                channels:
                  - { name: chat, type: chat, url: "${MILLWRIGHT_ALERT_CHAT_URL}" }
                """, environment)).hasMessageContaining("'chat'").hasMessageContaining("'url'")
                .hasMessageContaining("MILLWRIGHT_ALERT_CHAT_URL");
        assertThatThrownBy(() -> read("""
                channels:
                  - { name: mail, type: mail, host: smtp.plant.example, port: "99999", from: a@b, to: c@d }
                """, environment)).hasMessageContaining("'port' '99999'");
        assertThatThrownBy(() -> read("""
                channels:
                  - { name: addr, type: artemis, address: millwright.alerts, severity: critical }
                """, environment)).hasMessageContaining("severity");
    }

    @Test
    void theShippedFileHasEveryKind_allOffUntilTheirVariablesAreSet() {
        camel.start();
        List<AlertChannel> none = AlertChannels.read(Path.of("analytics-bridge/alert-channels.yaml"),
                new MockEnvironment()::resolveRequiredPlaceholders, context());
        assertThat(none).isEmpty();
        List<AlertChannel> all = AlertChannels.read(Path.of("analytics-bridge/alert-channels.yaml"), new MockEnvironment()
                .withProperty("MILLWRIGHT_ALERT_SMTP_HOST", "smtp.plant.example")
                .withProperty("MILLWRIGHT_ALERT_SMTP_PASSWORD", "x")
                .withProperty("MILLWRIGHT_ALERT_ARTEMIS_ADDRESS", "millwright.alerts")
                .withProperty("MILLWRIGHT_ALERT_CHAT_URL", "https://hooks.slack.example/services/T/B/X")::resolveRequiredPlaceholders, context());
        assertThat(all).extracting(AlertChannel::kind).containsExactlyInAnyOrder("mail", "artemis", "chat");
    }

    private List<AlertChannel> read(String yaml, MockEnvironment environment) throws Exception {
        Path file = dir.resolve("alert-channels.yaml");
        Files.writeString(file, yaml);
        return AlertChannels.read(file, environment::resolveRequiredPlaceholders, context());
    }

    private AlertChannels.Context context() {
        return new AlertChannels.Context(camel, camel.createProducerTemplate(), Duration.ofSeconds(3), 1);
    }
}
