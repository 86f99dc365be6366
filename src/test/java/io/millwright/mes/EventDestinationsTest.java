package io.millwright.mes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.model.MachineState;
import io.millwright.model.MachineStateChanged;
import io.millwright.testsupport.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every event type's Kafka topic and Artemis address exist at start-up, so an MES that starts
 * first is not told "Unknown topic or partition": a plain KafkaConsumer (not Camel) that may not
 * create topics finds the topic with the configured partitions, subscribes, and reads the first
 * event published after it.
 */
class EventDestinationsTest {

    @TempDir Path dataDir;
    EmbeddedKraftKafka kafka;
    EmbeddedArtemisBroker artemis;

    @BeforeEach
    void startBrokers() throws Exception {
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir.resolve("kafka"), 3);
        kafka.start();
        artemis = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), dataDir.resolve("artemis"));
        artemis.start();
    }

    @AfterEach
    void stopBrokers() throws Exception {
        kafka.close();
        artemis.close();
    }

    @Test
    void plainKafkaConsumerStartedBeforeTheFirstEvent_findsTheTopicAndReadsTheEvent() throws Exception {
        MesProperties mes = new MesProperties(kafka.bootstrapServers(), 2, (short) 1, Duration.ofMillis(5),
                DataSize.ofKilobytes(256), 0, true, MesProperties.ArtemisSignals.BATCH);
        ArtemisProperties artemisProperties = new ArtemisProperties();
        artemisProperties.setBrokerUrl(artemis.acceptorUri());
        new EventDestinations(mes, artemisProperties).afterSingletonsInstantiated();

        for (EventType type : EventType.values()) {
            var address = artemis.server().getPostOffice().getAddressInfo(SimpleString.of(type.destination()));
            assertThat(address).as(type.destination()).isNotNull();
            assertThat(address.getRoutingTypes()).containsExactly(RoutingType.MULTICAST);
        }

        String topic = EventType.MACHINE_STATE.destination();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "mes-early",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // the consumer must not be what creates the topic
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            assertThat(partitions).as("configured partitions, not the broker's default 3").hasSize(2);
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).hasSize(2);

            EventEnvelope<?> envelope = EventEnvelope.of(EventType.MACHINE_STATE, "opcua://test",
                    "acme/springfield/assembly/line-1/machine-1", Instant.now(), null,
                    new MachineStateChanged(MachineState.RUNNING, MachineState.IDLE, "1000011", "0010"));
            byte[] json = new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsBytes(envelope);
            KafkaEventSender sender = new KafkaEventSender(mes, null);
            try {
                sender.send(List.of(new OutgoingEvent(EventType.MACHINE_STATE, envelope, json)));
            } finally {
                sender.destroy();
            }

            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo("acme/springfield/assembly/line-1/machine-1");
            assertThat(records.get(0).value()).contains(envelope.id());
            assertThat(new String(records.get(0).headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                    .isEqualTo("io.millwright.machine-state.v1");
        }
    }
}
