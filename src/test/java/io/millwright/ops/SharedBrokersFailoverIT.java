package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.backbone.EmbeddedArtemisBroker;
import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.backbone.KafkaUsers;
import io.millwright.model.EventType;
import io.millwright.sim.erp.ErpSimulator;
import io.millwright.sim.erp.ErpSimulatorProperties;
import io.millwright.sim.plant.MachineSnapshot;
import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubCluster;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.StartsPackagedHubs;
import io.millwright.testsupport.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, scale-out, the named test: two packaged hubs (child processes, own ports and data folders)
 * on one PostgreSQL schema and on shared brokers outside both, as the README's "Scale out" deploys them:
 * one Artemis and one single-node KRaft Kafka, both secured (the hub's user and {@code mes}), run in this
 * JVM with the hub's own broker classes; the ERP simulator and the OPC UA plant (production counters
 * running) also in this JVM. The OPC UA leader is killed with SIGKILL while the plant produces; the
 * other hub takes over within 10 s (route started, first value). At the end, with the plant paused:
 * <ul>
 *   <li>the ERP holds no confirmation key twice, and its yield per order equals the plant's good count;
 *   <li>a plain MES consumer ({@code mes}) on the shared Kafka, and one on the shared Artemis (MQTT), sees
 *       production-count events whose increments sum exactly to each machine's good count, and signal and
 *       machine-state events stamped by the old leader (before the kill) and by the new one (after it).
 * </ul>
 * The plant starts paused, so its counters start at 0 with the hub's baselines. Prints the failover
 * figures. Needs the jar (the {@code package} phase) and PostgreSQL on 127.0.0.1:5432. Run alone with
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SharedBrokersFailoverIT}.
 */
@StartsPackagedHubs
class SharedBrokersFailoverIT {

    static final String ROUTE = HubCluster.ROUTE;
    static final String ADMIN_PASSWORD = "shared-" + UUID.randomUUID();
    static final String HUB_USER = "millwright-hub";
    static final String HUB_PASSWORD = "shared-hub-" + UUID.randomUUID();
    static final String MES_PASSWORD = "shared-mes-" + UUID.randomUUID();
    static final String ERP_PASSWORD = "shared-erp-" + UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();

    Path work;
    TestDatabase db;
    EmbeddedArtemisBroker artemis;
    EmbeddedKraftKafka kafka;
    ErpSimulator erp;
    PlantSimulator plant;
    PlantSimulatorProperties plantSettings;
    MqttClient mqtt;
    HubCluster cluster;
    final List<PackagedHub> hubs = new ArrayList<>();

    /** Production-count increments (GOOD) per asset path, from the MES's MQTT subscription on the shared Artemis. */
    final ConcurrentMap<String, AtomicLong> artemisGood = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        work = PackagedHub.runFolder("shared-brokers-failover");
        db = TestDatabase.postgres();
        artemis = new EmbeddedArtemisBroker("127.0.0.1", FreePorts.next(), work.resolve("artemis"),
                new EmbeddedArtemisBroker.Credentials(HUB_USER, HUB_PASSWORD),
                new EmbeddedArtemisBroker.Credentials("mes", MES_PASSWORD));
        artemis.start();
        kafka = new EmbeddedKraftKafka("127.0.0.1", FreePorts.next(), FreePorts.next(), work.resolve("kafka"), 3,
                new KafkaUsers(HUB_USER, HUB_PASSWORD, "mes", MES_PASSWORD), null);
        kafka.start();
        // paused until the first hub has its counter baselines: every part the plant makes is then one a hub counts
        plantSettings = new PlantSimulatorProperties(true, FreePorts.next(), "127.0.0.1", null, 2, 3, "0010",
                Duration.ofMillis(100), true, 11L, Map.of());
        plant = new PlantSimulator(plantSettings);
        plant.start();
        List<ErpSimulatorProperties.ReleasedOrder> orders = new ArrayList<>();
        for (int line = 1; line <= 2; line++) {
            for (int machine = 1; machine <= 3; machine++) {
                orders.add(new ErpSimulatorProperties.ReleasedOrder(plantSettings.orderFor(line, machine), List.of("0010"),
                        "PC", "1010", "L" + line + "-M" + machine));
            }
        }
        erp = new ErpSimulator(new ErpSimulatorProperties(true, FreePorts.next(), "127.0.0.1", "millwright", ERP_PASSWORD,
                Duration.ofMinutes(30), List.of()), orders, work.resolve("erp")).start();
        cluster = new HubCluster(work, db, ADMIN_PASSWORD);
    }

    @AfterEach
    void stop() throws Exception {
        hubs.forEach(PackagedHub::close);
        for (PackagedHub hub : hubs) {
            hub.process().waitFor();
        }
        if (mqtt != null && mqtt.isConnected()) {
            mqtt.disconnect();
        }
        if (plant != null) {
            plant.stop();
        }
        if (erp != null) {
            erp.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (artemis != null) {
            artemis.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void otherHubTakesOverWithinTenSeconds_withoutADuplicateConfirmationOrALostEvent_onSharedBrokers() throws Exception {
        PackagedHub a = launchHub("a");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> isStarted(a) && counterStates() == 12);
        // b after a: two first starts on one empty schema race in analytics' KPI mark (HubFailoverIT)
        PackagedHub b = launchHub("b");
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> b.routeStatus(ROUTE) != null);
        assertThat(List.of(a.routeStatus(ROUTE), b.routeStatus(ROUTE))).as("route %s on hub a and hub b", ROUTE)
                .containsExactly("Started", "Stopped");
        subscribeMqtt();

        plant.resume();
        await("confirmations from the first leader at the ERP").atMost(Duration.ofSeconds(90))
                .until(() -> !erp.confirmations().isEmpty());
        Thread.sleep(2_000); // production in full flow: values in the hand-off, counts in the window, posts in flight

        HubCluster.Takeover takeover = HubCluster.killAndAwaitTakeover(a, b);
        long killedAt = takeover.killedAt();
        long routeMillis = takeover.routeMillis();
        long valueMillis = takeover.valueMillis();
        int confirmationsAtKill = erp.confirmations().size();
        await("confirmations from the new leader at the ERP").atMost(Duration.ofSeconds(60))
                .until(() -> erp.confirmations().size() > confirmationsAtKill + 6);
        plant.pause();
        List<MachineSnapshot> produced = plant.machines();

        // the ERP: every key once, the yield per order equal to the plant's good parts
        await("ERP yields equal the plant's counters").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (MachineSnapshot machine : produced) {
                assertThat(erp.totalYield(machine.orderId(), machine.operation()))
                        .as("ERP yield of order %s operation %s", machine.orderId(), machine.operation())
                        .isEqualByComparingTo(BigDecimal.valueOf(machine.goodCount()));
            }
        });
        List<Object> keys = erp.confirmations().stream().map(c -> c.get("ConfirmationText")).toList();
        assertThat(keys).as("confirmation keys at the ERP").doesNotHaveDuplicates();

        // the MES on the shared Kafka: counts sum to the plant's, signals and states from both leaders
        Instant kill = Instant.ofEpochMilli(killedAt);
        Map<String, Long> kafkaGood = new ConcurrentHashMap<>();
        Map<String, long[]> beforeAndAfter = new ConcurrentHashMap<>(); // per event type: [old leader, new leader]
        try (KafkaConsumer<String, String> consumer = mesConsumer(EventType.PRODUCTION_COUNT, EventType.SIGNAL,
                EventType.MACHINE_STATE)) {
            await("the MES's production counts on Kafka equal the plant's").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ZERO).untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                            JsonNode event = read(record.value());
                            if (record.topic().equals(EventType.PRODUCTION_COUNT.destination())) {
                                if ("GOOD".equals(event.path("data").path("counter").asText())) {
                                    kafkaGood.merge(event.path("subject").asText(), event.path("data").path("delta").asLong(),
                                            Long::sum);
                                }
                            } else {
                                boolean byOldLeader = Instant.parse(event.path("receivedtime").asText()).isBefore(kill);
                                beforeAndAfter.computeIfAbsent(record.topic(), t -> new long[2])[byOldLeader ? 0 : 1]++;
                            }
                        });
                        assertThat(kafkaGood).as("GOOD increments per asset on Kafka").isEqualTo(plantGood(produced));
                    });
        }
        assertThat(Map.copyOf(artemisGood).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())))
                .as("GOOD increments per asset over MQTT on the shared Artemis").isEqualTo(plantGood(produced));
        for (EventType type : List.of(EventType.SIGNAL, EventType.MACHINE_STATE)) {
            long[] counts = beforeAndAfter.getOrDefault(type.destination(), new long[2]);
            assertThat(counts[0]).as("%s events by the old leader (received before the kill)", type.eventName()).isPositive();
            assertThat(counts[1]).as("%s events by the new leader (received after the kill)", type.eventName()).isPositive();
        }

        long good = produced.stream().mapToLong(MachineSnapshot::goodCount).sum();
        System.out.println("SharedBrokersFailoverIT: leader hub a killed (SIGKILL) while the plant produced; hub b started "
                + ROUTE + " after " + routeMillis + " ms and had its first OPC UA value after " + valueMillis
                + " ms; plant good parts " + good + ", ERP confirmations " + keys.size() + " (" + confirmationsAtKill
                + " before the kill), 0 keys twice; MES on Kafka: GOOD increments equal per asset, signal events old/new leader "
                + counts(beforeAndAfter, EventType.SIGNAL) + ", machine-state " + counts(beforeAndAfter, EventType.MACHINE_STATE)
                + "; logs in " + work);
        assertThat(routeMillis).as("ms from the leader's death to the route started at the other hub").isLessThan(10_000);
        assertThat(valueMillis).as("ms from the leader's death to the first value at the other hub").isLessThan(10_000);
    }

    private PackagedHub launchHub(String name) throws IOException {
        Path dir = cluster.folder(name);
        PackagedHub.prepareWorkDir(dir);
        Files.copy(Path.of("adapters", "opcua", "plant-sim.yaml"), dir.resolve("adapters/opcua/plant-sim.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PackagedHub hub = cluster.member(name)
                // the plant runs in the test's JVM: the hub's own simulator is off, its connection to the plant on
                .arg("--millwright.sim.opcua.connect=true")
                .arg("--millwright.sim.opcua.port=" + plantSettings.port())
                // the shared brokers, not the hub's own
                .arg("--millwright.artemis.embedded=false")
                .arg("--spring.artemis.broker-url=" + artemis.acceptorUri())
                .arg("--millwright.kafka.embedded=false")
                .arg("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers())
                .arg("--millwright.erp.base-url=http://127.0.0.1:" + erp.port() + ErpSimulator.SERVICE_PATH)
                .arg("--millwright.erp.username=millwright")
                .arg("--millwright.erp.confirmation-window=2s")
                .arg("--millwright.erp.relay-interval=200ms")
                // a claim of the killed hub is taken over after its lease (2 min shipped; short here, as in ErpTwoHubsIT)
                .arg("--millwright.erp.request-timeout=2s")
                .arg("--millwright.erp.processing-timeout=3s")
                .arg("--millwright.erp.claim-lease=5s")
                .arg("--millwright.erp.retry-backoff=200ms")
                .arg("--millwright.erp.max-retry-backoff=1s")
                .env("MILLWRIGHT_ARTEMIS_HUB_PASSWORD", HUB_PASSWORD)
                .env("MILLWRIGHT_MES_PASSWORD", MES_PASSWORD)
                .env("MILLWRIGHT_ERP_PASSWORD", ERP_PASSWORD)
                .start();
        hubs.add(hub);
        return hub;
    }

    private long counterStates() {
        Long rows = db.jdbc().queryForObject("SELECT COUNT(*) FROM counter_state", Map.of(), Long.class);
        return rows == null ? 0 : rows;
    }

    private void subscribeMqtt() throws Exception {
        mqtt = new MqttClient(artemis.acceptorUri(), "shared-mes-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName("mes");
        options.setPassword(MES_PASSWORD.toCharArray());
        mqtt.connect(options);
        mqtt.subscribe("millwright/events/production-count", 1, (topic, message) -> {
            JsonNode event = read(new String(message.getPayload(), StandardCharsets.UTF_8));
            if ("GOOD".equals(event.path("data").path("counter").asText())) {
                artemisGood.computeIfAbsent(event.path("subject").asText(), s -> new AtomicLong())
                        .addAndGet(event.path("data").path("delta").asLong());
            }
        });
    }

    private KafkaConsumer<String, String> mesConsumer(EventType... types) {
        Properties config = new Properties();
        config.putAll(KafkaUsers.scramClient("SASL_PLAINTEXT", "mes", MES_PASSWORD));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "shared-mes-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(java.util.Arrays.stream(types).map(EventType::destination).toList());
        return consumer;
    }

    /** Good parts per asset path of the shipped registry (machine M of line L: .../line-L/machine-M). */
    private static Map<String, Long> plantGood(List<MachineSnapshot> machines) {
        Map<String, Long> good = new java.util.HashMap<>();
        for (MachineSnapshot machine : machines) {
            good.put("acme/springfield/assembly/line-" + machine.line() + "/machine-" + machine.machine(), machine.goodCount());
        }
        return good;
    }

    private static String counts(Map<String, long[]> beforeAndAfter, EventType type) {
        long[] counts = beforeAndAfter.getOrDefault(type.destination(), new long[2]);
        return counts[0] + "/" + counts[1];
    }

    private static boolean isStarted(PackagedHub hub) {
        return hub.runs(ROUTE);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
