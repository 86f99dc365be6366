package io.millwright.ot.sparkplug;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A Sparkplug B edge node for tests: its own MQTT session with the NDEATH will (bdSeq), its NCMD
 * and DCMD subscriptions (QoS 1), and Tahu-encoded payloads published as the spec says (QoS 0, not retained).
 */
public final class TestEdgeNode implements AutoCloseable {

    final String group;
    final String node;
    final long bdSeq;
    public final BlockingQueue<byte[]> commands = new LinkedBlockingQueue<>();
    /** DCMD to any of its devices: topic and payload. */
    final BlockingQueue<java.util.Map.Entry<String, byte[]>> deviceCommands = new LinkedBlockingQueue<>();
    private final MqttClient client;

    public TestEdgeNode(String brokerUrl, String group, String node, long bdSeq) throws MqttException {
        this.group = group;
        this.node = node;
        this.bdSeq = bdSeq;
        client = new MqttClient(brokerUrl, "edge-" + group + "-" + node, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setWill(topic("NDEATH", null), SparkplugPayloads.death(bdSeq), 1, false);
        client.connect(options);
        client.subscribe(topic("NCMD", null), 1, (t, m) -> commands.add(m.getPayload()));
        client.subscribe(topic("DCMD", "+"), 1, (t, m) -> deviceCommands.add(java.util.Map.entry(t, m.getPayload())));
    }

    public String topic(String type, String device) {
        return "spBv1.0/" + group + "/" + type + "/" + node + (device == null ? "" : "/" + device);
    }

    public void publish(String type, String device, byte[] payload) throws MqttException {
        client.publish(topic(type, device), payload, 0, false);
    }

    /** Closes the socket without DISCONNECT: the broker publishes the NDEATH will. */
    public void crash() throws MqttException {
        client.disconnectForcibly(0, 1_000, false);
        client.close(true);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close(true);
    }
}
