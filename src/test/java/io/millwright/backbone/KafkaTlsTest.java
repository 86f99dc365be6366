package io.millwright.backbone;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.TestKeystores;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Kafka broker with a keytool key store: SASL_SSL on the client and controller
 * listeners. An MES that trusts the certificate reads over SASL_SSL; a SASL client without TLS
 * gets no answer.
 */
class KafkaTlsTest {

    @TempDir
    static Path dir;

    static Path keystore;
    static EmbeddedKraftKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        keystore = TestKeystores.selfSigned(dir, "kafka");
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dir.resolve("data"), 1,
                new KafkaUsers("millwright-hub", "test-hub-Tls-2", "mes", "test-mes-Tls-2"),
                new TlsKeystore(keystore, TestKeystores.PASSWORD, "PKCS12"));
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static Map<String, Object> tlsLogin(String user, String password) {
        Map<String, Object> config = new HashMap<>(KafkaUsers.scramClient("SASL_SSL", user, password));
        config.put("ssl.truststore.location", keystore.toString());
        config.put("ssl.truststore.password", TestKeystores.PASSWORD);
        config.put("ssl.truststore.type", "PKCS12");
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }

    @Test
    void mesReadsOverSaslSsl() throws Exception {
        assertThat(kafka.securityProtocol()).isEqualTo("SASL_SSL");
        try (KafkaProducer<String, String> hub = new KafkaProducer<>(tlsLogin("millwright-hub", "test-hub-Tls-2"),
                new StringSerializer(), new StringSerializer())) {
            hub.send(new ProducerRecord<>("millwright.events.machine-state", "acme/line-1/press-01", "{\"state\":\"DOWN\"}"))
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = tlsLogin("mes", "test-mes-Tls-2");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "mes-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> mes = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            mes.subscribe(List.of("millwright.events.machine-state"));
            await().atMost(ofSeconds(30)).untilAsserted(() -> {
                mes.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).extracting(ConsumerRecord::value).contains("{\"state\":\"DOWN\"}");
            });
        }
    }

    @Test
    void saslClientWithoutTlsGetsNoAnswer() {
        Map<String, Object> config = new HashMap<>(KafkaUsers.scramClient("SASL_PLAINTEXT", "mes", "test-mes-Tls-2"));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }
}
