package io.millwright.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.MillwrightApplication;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.plant.MachineSnapshot;
import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubTestProperties;
import io.millwright.testsupport.RoutePrinciples;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import io.millwright.model.EventType;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The whole hub on its embedded defaults, as a newcomer runs it: a real OPC UA plant, the OData
 * ERP simulator, embedded Artemis and Kafka, H2. The plant runs outside the hub here so that the
 * hub can be stopped and started again while the machines keep producing.
 *
 * <p>What a user checks: MES clients (a plain Kafka consumer, an MQTT client of Artemis) receive
 * machine-state events carrying the asset path of the registry; and the yield the ERP holds for
 * each order operation equals the good parts the plant produced while the hub watched, with
 * none lost and none counted twice, across a hub restart and a 10 s outage of the OPC UA server
 * (BAD signals for every asset at the drop, one data-gap event with start and end, values again).
 */
class HubEndToEndIT {

    static final Set<String> REGISTRY_PATHS = Set.of(
            "acme/springfield/assembly/line-1/machine-1", "acme/springfield/assembly/line-1/machine-2",
            "acme/springfield/assembly/line-1/machine-3", "acme/springfield/assembly/line-2/machine-1",
            "acme/springfield/assembly/line-2/machine-2", "acme/springfield/assembly/line-2/machine-3");
    static final ObjectMapper JSON = new ObjectMapper();

    static PlantSimulator plant;
    static String[] hubArguments;
    static int artemisPort;
    static int kafkaPort;

    @BeforeAll
    static void startPlant() throws Exception {
        int plantPort = FreePorts.next();
        // paused until the hub has taken its counter baselines, so that every part it is asked to
        // confirm is one the test can see the plant produce
        plant = new PlantSimulator(new PlantSimulatorProperties(true, plantPort, "127.0.0.1", null, 2, 3, "0010",
                Duration.ofMillis(100), true, 7L, Map.of()));
        plant.start();

        Path adapters = Files.createDirectories(Path.of(HubTestProperties.newDataDir("e2e-adapters"), "opcua"));
        Files.copy(Path.of("adapters", "opcua", "plant-sim.yaml"), adapters.resolve("plant-sim.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        artemisPort = FreePorts.next();
        kafkaPort = FreePorts.next();
        hubArguments = new String[] {
            "--server.port=0",
            "--millwright.data-dir=" + HubTestProperties.newDataDir("e2e"),
            "--millwright.adapters-dir=" + adapters.getParent(),
            "--millwright.sim.opcua.enabled=false",
            // the plant runs in the test's JVM: the hub's own simulator is off, its connection to the plant on
            "--millwright.sim.opcua.connect=true",
            "--millwright.sim.opcua.port=" + plantPort,
            "--millwright.sim.erp.port=" + FreePorts.next(),
            "--millwright.artemis.port=" + artemisPort,
            "--millwright.kafka.port=" + kafkaPort,
            "--millwright.kafka.controller-port=" + FreePorts.next(),
            "--millwright.erp.confirmation-window=2s",
            "--millwright.security.admin-password=e2e-admin-" + UUID.randomUUID(),
            HubTestProperties.MES_PASSWORD_ARGUMENT,
            "--millwright.sim.erp.password=e2e-erp-" + UUID.randomUUID(),
        };
    }

    @AfterAll
    static void stopPlant() {
        if (plant != null) {
            plant.stop();
        }
    }

    @Test
    void mesSeesMachineStatesAndErpHoldsExactlyTheProducedYield_acrossAHubRestartAndAnOpcUaServerOutage() throws Exception {
        List<JsonNode> mqttEvents = new CopyOnWriteArrayList<>();
        ConfigurableApplicationContext hub = startHub();
        // the full hub on its defaults: every route names its layer (1-5) and business outcome (#12)
        RoutePrinciples.assertEveryRouteDeclaresLayerAndOutcome(hub.getBean(org.apache.camel.CamelContext.class));
        // a subscriber may start before the first event: every event type's topic exists from start-up
        // as an MES: the consumers' user over SASL/SCRAM (describe is allowed on the event topics)
        Map<String, Object> adminConfig = new java.util.HashMap<>(mesLogin());
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        try (Admin admin = Admin.create(adminConfig)) {
            List<String> topics = Arrays.stream(EventType.values()).map(EventType::destination).toList();
            assertThat(admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3));
        }
        MqttClient mqtt = subscribeMqtt(mqttEvents);
        try (KafkaConsumer<String, String> kafka = kafkaConsumer()) {
            await("the hub's counter baselines").atMost(Duration.ofSeconds(60))
                    .until(() -> countRows(hub, "counter_state") == 12);
            plant.resume();

            List<JsonNode> kafkaEvents = new CopyOnWriteArrayList<>();
            await("machine-state events on Kafka and MQTT").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                kafka.poll(Duration.ofMillis(200)).forEach(record -> {
                    JsonNode event = read(record.value());
                    assertThat(record.key()).isEqualTo(event.path("subject").asText());
                    kafkaEvents.add(event);
                });
                assertThat(kafkaEvents).isNotEmpty();
                assertThat(mqttEvents).isNotEmpty();
            });
            for (JsonNode event : List.of(kafkaEvents.get(0), mqttEvents.get(0))) {
                assertThat(event.path("type").asText()).isEqualTo("io.millwright.machine-state.v1");
                assertThat(event.path("subject").asText()).isIn(REGISTRY_PATHS);
                assertThat(event.path("data").path("state").asText()).isIn("RUNNING", "IDLE", "DOWN", "SETUP");
            }

            await("first confirmations at the ERP").atMost(Duration.ofSeconds(60))
                    .until(() -> !hub.getBean(ErpSimulator.class).confirmations().isEmpty());
        } finally {
            mqtt.disconnect();
            mqtt.close();
        }

        // the hub goes away while the machines keep producing
        hub.close();
        long producedAtStop = totalGood();
        await("production while the hub is down").atMost(Duration.ofSeconds(30)).until(() -> totalGood() >= producedAtStop + 20);

        ConfigurableApplicationContext restarted = startHub();
        try {
            await("counts after the restart reach the ERP").atMost(Duration.ofSeconds(60))
                    .until(() -> totalYield(restarted).longValue() > producedAtStop);

            // the OPC UA server goes away for 10 s and comes back, as a PLC does when it restarts
            try (KafkaConsumer<String, String> gapsAndSignals = kafkaConsumer(
                    EventType.DATA_GAP.destination(), EventType.SIGNAL.destination())) {
                Instant outageStart = Instant.now();
                plant.stop();
                Thread.sleep(10_000);
                plant.start();
                List<JsonNode> gaps = new CopyOnWriteArrayList<>();
                Set<String> badSubjects = ConcurrentHashMap.newKeySet();
                await("one data-gap event for the outage, BAD signals at the drop").atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> {
                            gapsAndSignals.poll(Duration.ofMillis(500)).forEach(record -> {
                                JsonNode event = read(record.value());
                                if (record.topic().equals(EventType.DATA_GAP.destination())) {
                                    gaps.add(event);
                                } else if ("BAD".equals(event.path("data").path("quality").asText())
                                        && !Instant.parse(event.path("time").asText()).isBefore(outageStart)) {
                                    badSubjects.add(event.path("subject").asText());
                                }
                            });
                            assertThat(gaps).isNotEmpty();
                            assertThat(badSubjects).containsExactlyInAnyOrderElementsOf(REGISTRY_PATHS);
                        });
                JsonNode gap = gaps.get(0).path("data");
                assertThat(gaps).as("data-gap events").hasSize(1);
                assertThat(gap.path("source").asText()).isEqualTo("opcua://plant-sim");
                assertThat(Instant.parse(gap.path("start").asText())).isAfterOrEqualTo(outageStart.minusSeconds(1));
                assertThat(Duration.between(Instant.parse(gap.path("start").asText()), Instant.parse(gap.path("end").asText())))
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(10));
                List<String> gapAssets = new java.util.ArrayList<>();
                gap.path("assetPaths").forEach(path -> gapAssets.add(path.asText()));
                assertThat(gapAssets).containsExactlyInAnyOrderElementsOf(REGISTRY_PATHS);
            }
            long confirmedAtOutageEnd = totalYield(restarted).longValue();
            await("values flow again after the outage: new counts reach the ERP").atMost(Duration.ofSeconds(60))
                    .until(() -> totalYield(restarted).longValue() > confirmedAtOutageEnd);
            plant.pause();
            List<MachineSnapshot> produced = plant.machines();

            await("ERP yields equal the plant's counters").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (MachineSnapshot machine : produced) {
                    assertThat(restarted.getBean(ErpSimulator.class).totalYield(machine.orderId(), machine.operation()))
                            .as("yield of order %s operation %s", machine.orderId(), machine.operation())
                            .isEqualByComparingTo(BigDecimal.valueOf(machine.goodCount()));
                    assertThat(scrap(restarted, machine.orderId()))
                            .as("scrap of order %s", machine.orderId())
                            .isEqualByComparingTo(BigDecimal.valueOf(machine.scrapCount()));
                }
            });
            assertThat(produced.stream().mapToLong(MachineSnapshot::goodCount).sum()).as("the plant produced").isPositive();
            // control: each confirmation was posted once, and nothing was parked
            List<Object> keys = restarted.getBean(ErpSimulator.class).confirmations().stream()
                    .map(c -> c.get("ConfirmationText")).toList();
            assertThat(keys).doesNotHaveDuplicates();
            assertThat(countRows(restarted, "dead_letter")).as("dead letters").isZero();
        } finally {
            restarted.close();
        }
    }

    static ConfigurableApplicationContext startHub() {
        return new SpringApplicationBuilder(MillwrightApplication.class).run(hubArguments);
    }

    static long countRows(ConfigurableApplicationContext hub, String table) {
        Long rows = hub.getBean(NamedParameterJdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM " + table, Map.of(), Long.class);
        return rows == null ? 0 : rows;
    }

    static long totalGood() {
        return plant.machines().stream().mapToLong(MachineSnapshot::goodCount).sum();
    }

    static BigDecimal totalYield(ConfigurableApplicationContext hub) {
        return plant.machines().stream()
                .map(m -> hub.getBean(ErpSimulator.class).totalYield(m.orderId(), m.operation()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static BigDecimal scrap(ConfigurableApplicationContext hub, String orderId) {
        return hub.getBean(ErpSimulator.class).confirmations().stream()
                .filter(c -> orderId.equals(c.get("OrderID")))
                .map(c -> new BigDecimal(String.valueOf(c.get("ConfirmationScrapQuantity"))))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static MqttClient subscribeMqtt(List<JsonNode> received) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + artemisPort, "e2e-mes-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName(HubTestProperties.MES_USER);
        options.setPassword(HubTestProperties.MES_PASSWORD.toCharArray());
        client.connect(options);
        client.subscribe("millwright/events/machine-state", 1,
                (topic, message) -> received.add(read(new String(message.getPayload(), StandardCharsets.UTF_8))));
        return client;
    }

    /** The MES's Kafka login: user mes with SCRAM-SHA-256 (anonymous clients are refused). */
    static Map<String, Object> mesLogin() {
        return io.millwright.backbone.KafkaUsers.scramClient("SASL_PLAINTEXT", HubTestProperties.MES_USER, HubTestProperties.MES_PASSWORD);
    }

    static KafkaConsumer<String, String> kafkaConsumer() {
        return kafkaConsumer("millwright.events.machine-state");
    }

    static KafkaConsumer<String, String> kafkaConsumer(String... topics) {
        Properties config = new Properties();
        config.putAll(mesLogin());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-mes-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topics));
        return consumer;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
