package io.millwright.backbone;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.millwright.testsupport.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Kafka broker with its users, as an MES or an intruder on the hub's machine sees it
 * with plain Kafka clients: no anonymous client and no wrong password gets in; the hub's user
 * produces; the consumers' user ({@code mes}) reads the event topics but may not produce to them
 * nor read other topics.
 */
class KafkaSecurityTest {

    static final String HUB = "millwright-hub";
    static final String HUB_PASSWORD = "test-hub-Kafka-1";
    static final String MES = "mes";
    static final String MES_PASSWORD = "test-mes-Kafka-1";
    static final String EVENTS = "millwright.events.machine-state";

    @TempDir
    static Path dataDir;

    static EmbeddedKraftKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir, 1,
                new KafkaUsers(HUB, HUB_PASSWORD, MES, MES_PASSWORD), null);
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mesReadsWhatTheHubProduced_overSaslScram() throws Exception {
        assertThat(kafka.securityProtocol()).isEqualTo("SASL_PLAINTEXT");
        try (KafkaProducer<String, String> hub = producer(KafkaUsers.scramClient("SASL_PLAINTEXT", HUB, HUB_PASSWORD))) {
            hub.send(new ProducerRecord<>(EVENTS, "acme/line-1/press-01", "{\"state\":\"RUNNING\"}")).get(20, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> mes = consumer(KafkaUsers.scramClient("SASL_PLAINTEXT", MES, MES_PASSWORD))) {
            mes.subscribe(List.of(EVENTS));
            await().atMost(ofSeconds(30)).untilAsserted(() -> {
                mes.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).anySatisfy(r -> {
                    assertThat(r.key()).isEqualTo("acme/line-1/press-01");
                    assertThat(r.value()).isEqualTo("{\"state\":\"RUNNING\"}");
                });
            });
        }
    }

    // the hub creates its event topics right after the broker's start, logged in with SCRAM: the
    // credentials must be in force when start() returns (on a loaded machine they reached the broker
    // later, the hub's admin client was refused and the topics were only created on first use)
    @Test
    void scramLoginsWorkOnTheFirstTryOnceTheBrokerStarted(@TempDir Path freshData) throws Exception {
        try (EmbeddedKraftKafka fresh = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), freshData, 1,
                new KafkaUsers(HUB, HUB_PASSWORD, MES, MES_PASSWORD), null)) {
            fresh.start();
            for (String[] login : new String[][] {{HUB, HUB_PASSWORD}, {MES, MES_PASSWORD}}) {
                Map<String, Object> config = new java.util.HashMap<>(KafkaUsers.scramClient("SASL_PLAINTEXT", login[0], login[1]));
                config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fresh.bootstrapServers());
                config.put(AdminClientConfig.RETRIES_CONFIG, 0);
                try (Admin admin = Admin.create(config)) {
                    assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).as(login[0]).hasSize(1);
                }
            }
        }
    }

    @Test
    void mesCannotProduceToTheEventTopics() {
        try (KafkaProducer<String, String> mes = producer(KafkaUsers.scramClient("SASL_PLAINTEXT", MES, MES_PASSWORD))) {
            assertThatThrownBy(() -> mes.send(new ProducerRecord<>(EVENTS, "acme/line-1/press-01", "{\"forged\":true}"))
                            .get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void mesCannotSeeOtherTopics() throws Exception {
        try (KafkaProducer<String, String> hub = producer(KafkaUsers.scramClient("SASL_PLAINTEXT", HUB, HUB_PASSWORD))) {
            hub.send(new ProducerRecord<>("internal.erp-outbox", "k", "v")).get(20, TimeUnit.SECONDS);
            hub.send(new ProducerRecord<>(EVENTS, "acme/line-1/press-01", "{\"state\":\"IDLE\"}")).get(20, TimeUnit.SECONDS);
        }
        try (Admin mes = admin(KafkaUsers.scramClient("SASL_PLAINTEXT", MES, MES_PASSWORD))) {
            assertThat(mes.listTopics().names().get(20, TimeUnit.SECONDS))
                    .contains(EVENTS)
                    .doesNotContain("internal.erp-outbox");
        }
    }

    @Test
    void anonymousClientIsRefused() {
        try (Admin anonymous = admin(Map.of())) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get(20, TimeUnit.SECONDS))
                    .as("a PLAINTEXT client gets no answer from a SASL listener")
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        try (Admin intruder = admin(KafkaUsers.scramClient("SASL_PLAINTEXT", MES, "guessed"))) {
            assertThatThrownBy(() -> intruder.listTopics().names().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    static KafkaProducer<String, String> producer(Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "mes-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    static Admin admin(Map<String, Object> login) {
        Map<String, Object> config = new HashMap<>(login);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(config);
    }
}
