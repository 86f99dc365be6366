package io.millwright.ot.sparkplug;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.model.DataGap;
import io.millwright.model.EventEnvelope;
import io.millwright.model.EventType;
import io.millwright.ot.ValuesRate;
import io.millwright.ot.sparkplug.SparkplugSessions.Outcome;
import io.millwright.ot.sparkplug.SparkplugSessions.Rebirth;
import io.millwright.ot.sparkplug.SparkplugSessions.RebirthReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.ProducerTemplate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric.MetricBuilder;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload.SparkplugBPayloadBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Sparkplug B 3.0 primary host application on one MQTT connection (Paho MQTT v3, clean
 * session): its will and its STATE on {@code spBv1.0/STATE/<host-id>} ({@code {"online":..,
 * "timestamp":..}}, QoS 1, retained; the will's timestamp is that of its CONNECT and the online
 * message repeats it), a subscription to {@code spBv1.0/#} (or to {@code spBv1.0/<group>/#} for each of
 * its {@code group-ids}), and {@link SparkplugSessions} for what
 * the messages mean. Readings go to the intake route, data gaps to the publishing route, rebirth
 * requests as NCMD {@code Node Control/Rebirth = true} (QoS 0), counted by reason.
 *
 * <p>Paho's callback thread only hands each message to a bounded queue ({@value #HANDOFF_CAPACITY}
 * messages); one worker thread per host decodes them in arrival order, which the session logic needs,
 * and runs the intake. Its fill (0..1) is registered with {@code ops.TelemetryPressure}, like the OPC UA
 * hand-offs, so the side routes give the CPU to Sparkplug decoding when it falls behind, and shows as
 * {@code millwright.sparkplug.handoff.fill{connection}}. A full queue blocks the callback thread: a slow
 * flow then slows the reading of the socket rather than filling memory or dropping messages, as before.
 * Nothing here waits for a broker acknowledgement on that thread.
 */
public class SparkplugHost implements SmartLifecycle, MqttCallbackExtended {

    private static final Logger log = LoggerFactory.getLogger(SparkplugHost.class);

    /** Messages between Paho's callback thread and the decoding worker; ~4 s of a busy broker connection at 1,000 messages/s. */
    static final int HANDOFF_CAPACITY = 4096;

    /** The connection name of the host of the settings ({@code millwright.sparkplug.*}). */
    public static final String SETTINGS_CONNECTION = "sparkplug";

    private final String connection;
    private final String ingest;
    private final String dataGap;
    private final SparkplugProperties settings;
    private final SparkplugSessions sessions;
    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final List<Meter> ownMeters = new java.util.ArrayList<>();
    private final BlockingQueue<Arrival> handoff = new ArrayBlockingQueue<>(HANDOFF_CAPACITY);
    /** One instance, so that it can be taken off {@code TelemetryPressure} again. */
    private final DoubleSupplier handoffFill = () -> handoff.size() / (double) HANDOFF_CAPACITY;
    private volatile Thread worker;
    /** Set once the MQTT client is closed: the worker then decodes what is queued and ends. */
    private volatile boolean closed;
    private final AtomicLong readingsReceived = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final ValuesRate rate = new ValuesRate();
    private volatile String lastError;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicLong lastMessageMillis = new AtomicLong();
    private final Counter messages;
    private final Counter readings;
    private final Counter deaths;
    private final Map<RebirthReason, Counter> rebirths = new EnumMap<>(RebirthReason.class);
    private volatile long stateTimestamp;
    private volatile MqttAsyncClient client;
    private volatile boolean running;

    public SparkplugHost(SparkplugProperties settings, SparkplugSessions sessions, ProducerTemplate producer, MeterRegistry meters) {
        this(SETTINGS_CONNECTION, SparkplugRoutes.INGEST, SparkplugRoutes.DATA_GAP, settings, sessions, producer, meters);
    }

    /**
     * A host named {@code connection} (the tag {@code connection} of its meters) that hands its
     * readings to {@code ingest} and its data gaps to {@code dataGap}: the host of the settings, or
     * one provisioned through the API ({@link SparkplugConnections}).
     */
    SparkplugHost(String connection, String ingest, String dataGap, SparkplugProperties settings, SparkplugSessions sessions,
            ProducerTemplate producer, MeterRegistry meters) {
        this.connection = connection;
        this.ingest = ingest;
        this.dataGap = dataGap;
        this.settings = settings;
        this.sessions = sessions;
        this.producer = producer;
        this.meters = meters;
        this.messages = own(meters.counter("millwright.sparkplug.messages", "connection", connection));
        this.readings = own(meters.counter("millwright.sparkplug.readings", "connection", connection));
        this.deaths = own(meters.counter("millwright.sparkplug.data.gaps", "connection", connection));
        own(Gauge.builder("millwright.sparkplug.handoff.fill", handoffFill, DoubleSupplier::getAsDouble).tag("connection", connection)
                .description("Sparkplug messages waiting to be decoded, as a fraction of the hand-off's capacity").register(meters));
        for (RebirthReason reason : RebirthReason.values()) {
            rebirths.put(reason, own(meters.counter("millwright.sparkplug.rebirth.requests", "connection", connection, "reason",
                    reason.tag)));
        }
    }

    private <M extends Meter> M own(M meter) {
        ownMeters.add(meter);
        return meter;
    }

    /** Removes this host's meters from the registry (a provisioned connection that is deleted or replaced). */
    void removeMeters() {
        ownMeters.forEach(meters::remove);
    }

    /**
     * A host with its session logic over {@code assets}: the wiring of {@link SparkplugConfiguration},
     * also used by the Sparkplug benchmark.
     */
    public static SparkplugHost create(SparkplugProperties settings, io.millwright.model.AssetLookup assets,
            ProducerTemplate producer, MeterRegistry meters) {
        return new SparkplugHost(settings, new SparkplugSessions(assets, settings.rebirthOnUnknownAlias()), producer, meters);
    }

    @Override
    public void start() {
        try {
            client = new MqttAsyncClient(settings.brokerUrl(), settings.effectiveClientId(), new MemoryPersistence());
            client.setCallback(this);
            options.setCleanSession(true);
            options.setAutomaticReconnect(true);
            options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
            if (!settings.username().isBlank()) {
                options.setUserName(settings.username());
            }
            if (!settings.password().isEmpty()) {
                options.setPassword(settings.password().toCharArray());
            }
            armWill();
            running = true;
            closed = false;
            worker = new Thread(this::decodeHandedOff, "sparkplug-" + connection + "-decode");
            worker.setDaemon(true);
            worker.start();
            client.connect(options).waitForCompletion(settings.connectTimeout().toMillis());
            log.info("Sparkplug host connected hostId={} broker={} clientId={}", settings.hostId(), settings.brokerUrl(),
                    settings.effectiveClientId());
        } catch (MqttException e) {
            // keep trying in the background: the broker may come up after the hub
            error("cannot connect to " + settings.brokerUrl() + ": " + e.getMessage());
            log.warn("Sparkplug host cannot connect yet broker={} reason={}; retrying", settings.brokerUrl(), e.getMessage());
            retryConnect();
        }
    }

    private void retryConnect() {
        Thread retry = new Thread(() -> {
            while (running && !connected.get()) {
                try {
                    Thread.sleep(5_000);
                    if (running && !client.isConnected()) {
                        armWill();
                        client.connect(options).waitForCompletion(settings.connectTimeout().toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (MqttException e) {
                    error("cannot connect to " + settings.brokerUrl() + ": " + e.getMessage());
                    log.debug("Sparkplug host connect failed: {}", e.getMessage());
                }
            }
        }, "sparkplug-host-connect");
        retry.setDaemon(true);
        retry.start();
    }

    /** The will is {@code online:false} with the timestamp of the CONNECT about to be made. */
    private void armWill() {
        stateTimestamp = System.currentTimeMillis();
        options.setWill(settings.stateTopic(), state(false, stateTimestamp), 1, true);
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        connected.set(true);
        try {
            List<String> topics = new java.util.ArrayList<>(List.of(settings.stateTopic()));
            topics.addAll(settings.subscriptions());
            int[] qos = new int[topics.size()];
            qos[0] = 1;
            client.subscribe(topics.toArray(String[]::new), qos);
            client.publish(settings.stateTopic(), state(true, stateTimestamp), 1, true);
            log.info("Sparkplug host online hostId={} reconnect={} stateTimestamp={}", settings.hostId(), reconnect, stateTimestamp);
        } catch (MqttException e) {
            log.warn("Sparkplug host could not subscribe or publish its STATE: {}", e.getMessage());
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        connected.set(false);
        // the automatic reconnect reuses these options: its will carries the new CONNECT's timestamp
        armWill();
        log.warn("Sparkplug host lost the broker broker={} reason={}; reconnecting", settings.brokerUrl(),
                cause == null ? "unknown" : cause.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (topic.startsWith("spBv1.0/STATE/")) {
            onState(topic, message);
            return;
        }
        messages.increment();
        Instant received = Instant.now();
        lastMessageMillis.set(received.toEpochMilli());
        try {
            handoff.put(new Arrival(topic, message.getPayload(), received));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error("message on " + topic + " not decoded: the host was stopping");
            log.warn("Sparkplug message not decoded topic={} reason=host stopping", topic);
        }
    }

    /** A message as Paho handed it over. */
    private record Arrival(String topic, byte[] payload, Instant received) {}

    /** The worker: decodes the handed-off messages in arrival order until the client is closed and nothing waits. */
    private void decodeHandedOff() {
        while (!(closed && handoff.isEmpty())) {
            try {
                Arrival arrival = handoff.poll(200, TimeUnit.MILLISECONDS);
                if (arrival != null) {
                    decode(arrival.topic(), arrival.payload(), arrival.received());
                }
            } catch (InterruptedException e) {
                log.warn("Sparkplug host stopped before decoding every message connection={} left={}", connection, handoff.size());
                return;
            }
        }
    }

    private void decode(String topic, byte[] payload, Instant received) {
        Outcome outcome;
        try {
            outcome = sessions.onMessage(topic, payload, received);
        } catch (RuntimeException e) {
            error("message on " + topic + " not understood: " + e);
            log.warn("Sparkplug message not understood topic={} reason={}", topic, e.toString());
            return;
        }
        // never throw back into Paho: it would drop the connection
        try {
            if (!outcome.readings().isEmpty()) {
                readings.increment(outcome.readings().size());
                readingsReceived.addAndGet(outcome.readings().size());
                rate.add(outcome.readings().size());
                producer.sendBody(ingest, outcome.readings());
            }
            for (DataGap gap : outcome.gaps()) {
                deaths.increment();
                log.info("Sparkplug data gap source={} start={} end={} assets={}", gap.source(), gap.start(), gap.end(), gap.assetPaths().size());
                producer.sendBody(dataGap, EventEnvelope.of(EventType.DATA_GAP, gap.source(),
                        subject(gap), gap.end(), null, gap));
            }
        } catch (RuntimeException e) {
            String reason = withRootCause(e);
            error("message on " + topic + " not delivered to the flow: " + reason);
            log.warn("Sparkplug message not delivered to the flow topic={} reason={}", topic, reason);
        }
        if (outcome.rebirth() != null) {
            requestRebirth(outcome.rebirth());
        }
    }

    /** Camel wraps the flow's failure ("Exception occurred during execution on the exchange"): name the root cause too. */
    static String withRootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + "; caused by " + root;
    }

    /** A retained {@code online:false} of our own id while connected (another session's will) is answered with online. */
    private void onState(String topic, MqttMessage message) {
        // !running: our own online:false of a clean stop, not another session's will
        if (!topic.equals(settings.stateTopic()) || !connected.get() || !running) {
            return;
        }
        String text = new String(message.getPayload(), StandardCharsets.UTF_8);
        if (text.replace(" ", "").contains("\"online\":false")) {
            try {
                client.publish(settings.stateTopic(), state(true, stateTimestamp), 1, true);
            } catch (MqttException e) {
                log.warn("Sparkplug host could not republish its STATE: {}", e.getMessage());
            }
        }
    }

    private void requestRebirth(Rebirth rebirth) {
        rebirths.get(rebirth.reason()).increment();
        log.info("Sparkplug rebirth requested node={}/{} reason={} detail={}", rebirth.group(), rebirth.node(),
                rebirth.reason().tag, rebirth.detail());
        try {
            var payload = new SparkplugBPayloadBuilder().setTimestamp(new Date())
                    .addMetric(new MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).timestamp(new Date()).createMetric())
                    .createPayload();
            client.publish(rebirth.topic(), new SparkplugBPayloadEncoder().getBytes(payload, false), 0, false);
        } catch (Exception e) {
            log.warn("Sparkplug rebirth request not sent node={}/{} reason={}", rebirth.group(), rebirth.node(), e.toString());
        }
    }

    /** The data type the edge node's last BIRTH gave a metric (device null = the node's own metric). */
    Optional<MetricDataType> birthType(String group, String node, String device, String name) {
        return sessions.birthType(group, node, device, name);
    }

    /**
     * Publishes a command payload (NCMD/DCMD) on the host's session, QoS 0, not retained (Sparkplug
     * 3.0); false when there is no session.
     */
    boolean publish(String topic, byte[] payload) {
        MqttAsyncClient c = client;
        if (c == null || !connected.get()) {
            return false;
        }
        try {
            c.publish(topic, payload, 0, false);
            return true;
        } catch (MqttException e) {
            log.warn("Sparkplug command not published topic={} reason={}", topic, e.getMessage());
            return false;
        }
    }

    /** The assets' common ISA-95 prefix, else the Sparkplug subject of the connection. */
    static String subject(DataGap gap) {
        List<String> paths = gap.assetPaths();
        if (paths.isEmpty()) {
            return "sparkplug/" + gap.connection();
        }
        String[] common = paths.get(0).split("/");
        int length = common.length;
        for (String path : paths) {
            String[] parts = path.split("/");
            int i = 0;
            while (i < Math.min(length, parts.length) && parts[i].equals(common[i])) {
                i++;
            }
            length = i;
        }
        return length == 0 ? "sparkplug/" + gap.connection() : String.join("/", java.util.Arrays.copyOf(common, length));
    }

    private static byte[] state(boolean online, long timestamp) {
        return ("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // nothing waits for it
    }

    @Override
    public void stop() {
        running = false;
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                // a clean disconnect sends no will: say offline ourselves first (spec 3.0)
                c.publish(settings.stateTopic(), state(false, stateTimestamp), 1, true).waitForCompletion(5_000);
                c.disconnect().waitForCompletion(5_000);
            }
            c.close(true);
        } catch (MqttException e) {
            log.warn("Sparkplug host did not disconnect cleanly: {}", e.getMessage());
        }
        connected.set(false);
        finishDecoding();
        log.info("Sparkplug host offline hostId={}", settings.hostId());
    }

    /** Drops the TCP connection without DISCONNECT, as a crash or a pulled cable would: the broker then publishes the will. */
    void dropConnectionUncleanly() throws MqttException {
        running = false;
        client.disconnectForcibly(0, 1_000, false);
        connected.set(false);
        client.close(true);
        finishDecoding();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Lets the worker decode what was handed over before the client closed, at most 5 s, then ends it. */
    private void finishDecoding() {
        closed = true;
        Thread w = worker;
        if (w == null) {
            return;
        }
        try {
            w.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        w.interrupt();
    }

    /** How full the hand-off to the decoding worker is, 0..1 (registered with {@code ops.TelemetryPressure}). */
    public DoubleSupplier handoffFill() {
        return handoffFill;
    }

    /** Whether the MQTT session is up. */
    public boolean isConnected() {
        return connected.get();
    }

    /** When the last Sparkplug message arrived, epoch ms, 0 = none yet. */
    public long lastMessageMillis() {
        return lastMessageMillis.get();
    }

    /** The connection name: {@value #SETTINGS_CONNECTION} for the host of the settings, else the provisioned name. */
    public String connection() {
        return connection;
    }

    /** The settings this host runs with. */
    SparkplugProperties settings() {
        return settings;
    }

    /** Readings (metric values, BAD ones on death included) handed to the flow since the start. */
    public long readingsReceived() {
        return readingsReceived.get();
    }

    /** Readings per second over the last few seconds. */
    public double readingsPerSecond() {
        return rate.perSecond();
    }

    /** Connection failures and messages that could not be read or handed on, since the start. */
    public long errors() {
        return errors.get();
    }

    /** The last of {@link #errors()}, null = none. */
    public String lastError() {
        return lastError;
    }

    private void error(String reason) {
        errors.incrementAndGet();
        lastError = reason;
    }

    /** Rebirth requests sent, by reason tag. */
    public long rebirthRequests(String reasonTag) {
        return rebirths.entrySet().stream().filter(e -> e.getKey().tag.equals(reasonTag))
                .mapToLong(e -> (long) e.getValue().count()).sum();
    }

    @Override
    public int getPhase() {
        // after Camel's context (which starts in the default phase) so that the routes take the first messages
        return Integer.MAX_VALUE - 100;
    }
}
