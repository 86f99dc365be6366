package io.millwright.backbone;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.millwright.testsupport.FreePorts;
import jakarta.jms.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.eclipse.paho.client.mqttv3.MqttException;
import io.millwright.testsupport.HubTestProperties;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The backbone as the hub wires it: Spring Boot's auto-configured JMS connection factory and
 * camel-kafka configured from config/application.yaml, pointed at the embedded brokers on free
 * ports. One context for the class; the last test closes it to check the shutdown order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackboneConfigurationTest {

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext context;
    static final List<String> shutdownLog = new ArrayList<>();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
    @Import(BackboneConfiguration.class)
    static class BackboneOnly {}

    @BeforeAll
    static void startHub() {
        context = new SpringApplicationBuilder(BackboneOnly.class)
                .web(WebApplicationType.NONE)
                // arguments, not default properties: ./config/application.yaml outranks those
                .run("--millwright.data-dir=" + dataDir,
                        HubTestProperties.MES_PASSWORD_ARGUMENT,
                        "--millwright.artemis.port=" + FreePorts.next(),
                        "--millwright.kafka.port=" + FreePorts.next(),
                        "--millwright.kafka.controller-port=" + FreePorts.next());
        EmbeddedArtemisBroker artemis = context.getBean(EmbeddedArtemisBroker.class);
        EmbeddedKraftKafka kafka = context.getBean(EmbeddedKraftKafka.class);
        assertThat(artemis.dataDir()).isEqualTo(dataDir.toAbsolutePath());
        assertThat(kafka.logDir()).startsWith(dataDir.toAbsolutePath());
        context.getBean(CamelContext.class).getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    shutdownLog.add("camel stopping: artemis running=" + artemis.isRunning()
                            + " kafka running=" + kafka.isRunning());
                }
            }
        });
    }

    @AfterAll
    static void closeHub() {
        if (context != null && context.isActive()) {
            context.close();
        }
    }

    @Test
    @Order(1)
    void bootConnectionFactoryIsCachingAndUsedByCamelJms() {
        ConnectionFactory factory = context.getBean(ConnectionFactory.class);
        assertThat(factory).isInstanceOf(CachingConnectionFactory.class);
        JmsComponent jms = context.getBean(CamelContext.class).getComponent("jms", JmsComponent.class);
        assertThat(jms.getConfiguration().getConnectionFactory()).isSameAs(factory);
    }

    @Test
    @Order(2)
    void kafkaClientsStopWithinCamelsShutdownBound_soConsumersCommitBeforeCamelGivesUp() {
        CamelContext camel = context.getBean(CamelContext.class);
        long camelMillis = camel.getShutdownStrategy().getTimeUnit().toMillis(camel.getShutdownStrategy().getTimeout());
        KafkaComponent kafka = camel.getComponent("kafka", KafkaComponent.class);
        // camel-kafka's own default is 30,000 ms: a stopping consumer would still wait when Camel's 10 s are up
        assertThat(camelMillis).as("camel.main.shutdown-timeout in ms").isEqualTo(10_000);
        assertThat((long) kafka.getConfiguration().getShutdownTimeout())
                .as("camel.component.kafka.shutdown-timeout in ms").isPositive().isLessThan(camelMillis);
    }

    @Test
    @Order(2)
    void mqttSubscriberGetsExactBytes_whenCamelJmsPublishesThroughBootConnectionFactory() throws Exception {
        BlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(5);
        MqttClient mqtt = new MqttClient(context.getBean(EmbeddedArtemisBroker.class).acceptorUri(),
                "mes-wiring-test", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(HubTestProperties.MES_USER);
        options.setPassword(HubTestProperties.MES_PASSWORD.toCharArray());
        mqtt.connect(options);
        try {
            mqtt.subscribe("millwright/events/#", 1, (topic, message) -> inbox.add(message.getPayload()));
            byte[] payload = "{\"state\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8);

            context.getBean(ProducerTemplate.class)
                    .sendBody("jms:topic:millwright.events.machine-state?jmsMessageType=Bytes", payload);

            assertThat(inbox.poll(10, TimeUnit.SECONDS)).isEqualTo(payload);
        } finally {
            mqtt.disconnect();
            mqtt.close();
        }
    }

    @Test
    @Order(2)
    void anonymousAndWrongPasswordRefused_whenClientsConnectToEmbeddedArtemis() throws Exception {
        String uri = context.getBean(EmbeddedArtemisBroker.class).acceptorUri();

        assertThatThrownBy(() -> new ActiveMQConnectionFactory(uri).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(uri, HubTestProperties.MES_USER, "wrong")
                .createConnection().close()).isInstanceOf(JMSSecurityException.class);

        MqttClient anonymous = new MqttClient(uri, "anonymous-test", new MemoryPersistence());
        try {
            assertThatThrownBy(() -> anonymous.connect(new MqttConnectOptions())).isInstanceOf(MqttException.class);
        } finally {
            anonymous.close();
        }
    }

    // the consumers' user may read events but not forge them
    @Test
    @Order(2)
    void mesUserConsumesButCannotSend_whenConnectedOverCore() throws Exception {
        String uri = context.getBean(EmbeddedArtemisBroker.class).acceptorUri();
        try (Connection connection = new ActiveMQConnectionFactory(uri, HubTestProperties.MES_USER,
                HubTestProperties.MES_PASSWORD).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic events = session.createTopic("millwright.events.machine-state");
            MessageConsumer consumer = session.createConsumer(events);
            connection.start();
            assertThatThrownBy(() -> session.createProducer(events).send(session.createTextMessage("{\"forged\":true}")))
                    .isInstanceOf(JMSSecurityException.class);

            context.getBean(ProducerTemplate.class).sendBody("jms:topic:millwright.events.machine-state", "{\"by\":\"hub\"}");

            Message received = consumer.receive(10_000);
            assertThat(received).isNotNull();
            assertThat(received.getBody(String.class)).isEqualTo("{\"by\":\"hub\"}");
        }
    }

    @Test
    @Order(3)
    void kafkaConsumerGetsRecord_whenCamelKafkaUsesConfiguredBrokers() {
        EmbeddedKraftKafka kafka = context.getBean(EmbeddedKraftKafka.class);
        assertThat(context.getEnvironment().getProperty("camel.component.kafka.brokers"))
                .isEqualTo(kafka.bootstrapServers());

        context.getBean(ProducerTemplate.class).sendBodyAndHeader(
                "kafka:millwright.events.machine-state", "{\"state\":\"IDLE\"}", "ce_type", "io.millwright.machine-state.v1");

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        // an MES reads as the consumers' user over SASL/SCRAM (the hub's camel-kafka logged in as the hub)
        Map<String, Object> config = new java.util.HashMap<>(KafkaUsers.scramClient(
                "SASL_PLAINTEXT", HubTestProperties.MES_USER, HubTestProperties.MES_PASSWORD));
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "wiring-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("millwright.events.machine-state"));
            await().atMost(ofSeconds(20)).untilAsserted(() -> {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).isNotEmpty();
            });
        }
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"IDLE\"}");
        assertThat(new String(records.get(0).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("io.millwright.machine-state.v1");
    }

    @Test
    @Order(4)
    void healthReportsBothBrokersUp() {
        assertThat(context.getBean("embeddedArtemisHealthIndicator", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP);
        assertThat(context.getBean("embeddedKafkaHealthIndicator", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP);
    }

    // Routes must drain into running brokers: Camel stops first, the brokers after it.
    @Test
    @Order(5)
    void brokersStillRunning_whenCamelStops() {
        EmbeddedArtemisBroker artemis = context.getBean(EmbeddedArtemisBroker.class);
        EmbeddedKraftKafka kafka = context.getBean(EmbeddedKraftKafka.class);

        context.close();

        assertThat(shutdownLog).containsExactly("camel stopping: artemis running=true kafka running=true");
        assertThat(artemis.isRunning()).isFalse();
        assertThat(kafka.isRunning()).isFalse();
    }
}
