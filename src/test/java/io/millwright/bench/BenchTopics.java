package io.millwright.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a topic stamp its records with the broker's append time
 * ({@code message.timestamp.type=LogAppendTime}), so a record's timestamp says when it reached
 * Kafka and {@link SignalTopicMeter} can measure source-to-Kafka latency: creates the topic with
 * that setting, or, when the hub created it first, switches it with
 * {@code incrementalAlterConfigs} (a dynamic topic setting: appends after the change carry it).
 */
final class BenchTopics {

    private static final long TIMEOUT_SECONDS = 30;

    private BenchTopics() {}

    /**
     * @param login the client's {@code security.protocol} and {@code sasl.*} settings (empty: PLAINTEXT)
     * @return how the topic came to use LogAppendTime ("created" or "altered"), checked by reading
     *     its configuration back
     */
    static String ensureLogAppendTime(String bootstrap, Map<String, Object> login, String topic, int partitions)
            throws Exception {
        Map<String, Object> config = new HashMap<>(login);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-topics");
        try (Admin admin = Admin.create(config)) {
            String how;
            if (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic)) {
                how = alter(admin, topic);
            } else {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                                    .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"))))
                            .all()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    how = "created with LogAppendTime";
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    how = alter(admin, topic); // the hub's first send created it meanwhile
                }
            }
            // the broker applies a changed topic setting a moment after it acknowledged it: read back until it shows
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            String type;
            do {
                type = admin.describeConfigs(List.of(resource))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(resource)
                        .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)
                        .value();
                if (!"LogAppendTime".equals(type)) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            } while (!"LogAppendTime".equals(type) && System.nanoTime() < deadline);
            if (!"LogAppendTime".equals(type)) {
                throw new IllegalStateException(topic + " still has " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "=" + type
                        + " " + TIMEOUT_SECONDS + " s after the change");
            }
            return how;
        }
    }

    private static String alter(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
                        AlterConfigOp.OpType.SET))))
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return "altered to LogAppendTime";
    }
}
