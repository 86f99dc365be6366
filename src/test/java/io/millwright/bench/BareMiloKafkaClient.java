package io.millwright.bench;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/**
 * The baseline of the telemetry benchmark, in its own JVM: a plain Eclipse Milo 1.0.8 client
 * that sends every value change to Kafka with a plain {@link KafkaProducer}, and nothing else. No
 * framework, no mapping, no asset lookup: what it costs per change is the floor the hub is
 * compared with (DESIGN.md, "Performance budget").
 *
 * <p>One subscription with publishing interval = the server's change interval and at most
 * {@value #MAX_NOTIFICATIONS_PER_PUBLISH} notifications per publish response; one monitored item
 * per node with sampling interval = that interval and queue size 2 (queue size 1 silently drops
 * changes at these settings, REFERENCE §0.13). Milo's {@code OpcUaSubscription} creates the items
 * in CreateMonitoredItems calls of at most the server's MaxMonitoredItemsPerCall, read from the
 * server's OperationLimits at connect. Each change becomes
 * {@code {"node":"nsu=...;s=Bench.V000042","value":17,"sourceTime":"2026-11-30T12:00:00.123Z"}},
 * sent keyed by the node id with acks=all, idempotence on and linger.ms 5, from Milo's notification
 * thread ({@code send} only appends to the producer's buffer). Its creation time runs from handing
 * the items to the subscription to the last CreateMonitoredItems answer.
 *
 * <p>Output on stdout for {@link TelemetryBenchmark}:
 * <pre>
 * BENCH created=10000 failed=0 createMillis=812 addMillis=95 connectMillis=640 maxMonitoredItemsPerCall=1000
 * BENCH received=123456 sendErrors=0 notificationDataLost=0
 * </pre>
 * the second line once a second.
 */
public final class BareMiloKafkaClient {

    static final int MAX_NOTIFICATIONS_PER_PUBLISH = 50_000;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong dataLost = new AtomicLong();
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    private BareMiloKafkaClient(KafkaProducer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse("BareMiloKafkaClient", args, Set.of(),
                Set.of("endpoint", "items", "interval", "bootstrap", "topic", "queue-size"));
        String endpoint = options.required("endpoint");
        int items = options.integer("items", 10_000);
        double intervalMillis = options.duration("interval", Duration.ofMillis(200)).toMillis();
        String topic = options.string("topic", "bench.bare");
        int queueSize = options.integer("queue-size", 2);

        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.required("bootstrap"),
                ProducerConfig.CLIENT_ID_CONFIG, "bench-bare-client",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        BareMiloKafkaClient bare = new BareMiloKafkaClient(producer, topic);

        long connectStart = System.nanoTime();
        OpcUaClient client = OpcUaClient.create(
                endpoint,
                endpoints -> endpoints.stream()
                        .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                        .findFirst(),
                transport -> {},
                config -> config.setApplicationName(LocalizedText.english("Millwright bare benchmark client"))
                        .setApplicationUri("urn:millwright:bench:bare-client")
                        .setRequestTimeout(uint(120_000)));
        client.connect();
        long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectStart);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the OPC UA client first, then the producer it feeds (REFERENCE §3.5)
            try {
                client.disconnect();
            } catch (Exception e) {
                System.err.println("OPC UA disconnect failed: " + e);
            }
            producer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }, "bench-bare-stop"));

        Optional<UInteger> perCall = client.getOperationLimits().maxMonitoredItemsPerCall();
        OpcUaSubscription subscription = new OpcUaSubscription(client, intervalMillis);
        // Asking for no limit lets Milo's server put up to 65,535 notifications in one publish
        // response, about 2 MB of Int64 changes: over its 2 MiB message limit, the response fails
        // with Bad_ResponseTooLarge (seen at 100,000 items). 50,000 (about 1.5 MB) stays under it
        // and does not split the publishes of 10,000 items: with 10,000, publishes split and some
        // changes arrived twice (10,500 and 115,906 duplicates in 30 s windows; cause not traced).
        subscription.setMaxNotificationsPerPublish(uint(MAX_NOTIFICATIONS_PER_PUBLISH));
        subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onNotificationDataLost(OpcUaSubscription s) {
                bare.dataLost.incrementAndGet();
            }
        });
        subscription.create();
        int namespaceIndex = client.getNamespaceTable().getIndex(BenchOpcUaServer.NAMESPACE_URI).intValue();
        List<OpcUaMonitoredItem> monitoredItems = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            OpcUaMonitoredItem item =
                    OpcUaMonitoredItem.newDataItem(new NodeId(namespaceIndex, BenchOpcUaServer.identifier(i)));
            item.setSamplingInterval(intervalMillis);
            item.setQueueSize(uint(queueSize));
            item.setDiscardOldest(true);
            byte[] key = BenchOpcUaServer.nodeId(i).getBytes(StandardCharsets.UTF_8);
            String jsonPrefix = "{\"node\":\"" + BenchOpcUaServer.nodeId(i) + "\",\"value\":";
            item.setDataValueListener((monitoredItem, value) -> bare.send(key, jsonPrefix, value));
            monitoredItems.add(item);
        }
        // Milo 1.0.8's addMonitoredItem checks Map.containsValue per item: quadratic in the number
        // of items of the subscription, seconds at 100,000; timed apart, and part of the creation
        long createStart = System.nanoTime();
        subscription.addMonitoredItems(monitoredItems);
        long addMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createStart);
        subscription.createMonitoredItems();
        long createMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createStart);
        long failed = monitoredItems.stream()
                .filter(i -> i.getCreateResult().map(StatusCode::isBad).orElse(true))
                .count();
        System.out.printf("BENCH created=%d failed=%d createMillis=%d addMillis=%d connectMillis=%d"
                        + " maxMonitoredItemsPerCall=%s%n",
                items - failed, failed, createMillis, addMillis, connectMillis,
                perCall.map(Object::toString).orElse("unknown"));

        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-bare-report");
            thread.setDaemon(true);
            return thread;
        });
        reporter.scheduleAtFixedRate(
                () -> System.out.printf("BENCH received=%d sendErrors=%d notificationDataLost=%d%n",
                        bare.received.get(), bare.sendErrors.get(), bare.dataLost.get()),
                1, 1, TimeUnit.SECONDS);
        stopped.await();
    }

    /** One change as JSON to Kafka, keyed by node; runs on Milo's notification thread. */
    private void send(byte[] key, String jsonPrefix, DataValue value) {
        received.incrementAndGet();
        DateTime sourceTime = value.sourceTime();
        String json = jsonPrefix + value.value().value() + ",\"sourceTime\":\""
                + (sourceTime == null ? "" : sourceTime.getJavaInstant()) + "\"}";
        producer.send(new ProducerRecord<>(topic, key, json.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
            if (error != null) {
                sendErrors.incrementAndGet();
            }
        });
    }
}
