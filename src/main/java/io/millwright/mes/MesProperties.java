package io.millwright.mes;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of event publishing, {@code millwright.mes.*}.
 *
 * @param kafkaBootstrapServers the Kafka cluster the events go to
 * @param topicPartitions partitions of each {@code millwright.events.<type>} topic the hub creates at start
 *     (events are keyed by asset path, so one asset's events stay in order on one partition)
 * @param topicReplicationFactor replicas of each topic the hub creates (1 for the embedded single node)
 * @param kafkaLinger how long the producer waits to fill a batch: a few ms of latency for far fewer requests
 * @param kafkaBatchSize most bytes per partition batch
 * @param artemisRedeliveries attempts to send a batch again when the broker failed it, before it is dead-lettered
 * @param createDestinations create every event type's topic and address at start-up (false: on first use)
 * @param artemisSignals how signal events go to Artemis: {@code batch} (one CloudEvents JSON batch
 *     message per batch of readings), {@code each} (one message per signal) or {@code none}
 *     (Kafka only); states, counts and confirmations always go one message per event
 * @param kafkaEnabled publish to Kafka at all; {@code false} on an edge hub (profile {@code edge}),
 *     whose events reach the central hub through Artemis only (store-and-forward link)
 * @param kafkaCompression the producer's {@code compression.type}: {@code lz4} (default), {@code zstd},
 *     {@code snappy}, {@code gzip} or {@code none}; a batch of signal events from one plant repeats
 *     most of its bytes, so the topics, the broker's work and the consumers' reads shrink several times
 * @param kafkaMaxUnacknowledged most events handed to the Kafka producer and not yet acknowledged by
 *     the broker; at the limit publishing waits (the telemetry hand-off then holds back), so a broker
 *     that falls behind costs a bounded amount of heap. The producer's own {@code buffer.memory} counts
 *     compressed batches, which at lz4's ratio let several hundred thousand events wait, each held
 *     for its failure callback
 * @param artemisSenders most Artemis connections (each with its transacted session) the hub publishes
 *     events through at once: each publishing thread (an OPC UA connection's hand-off worker, another
 *     adapter) takes one, so they do not wait for each other's commits; beyond it a thread waits for one
 */
@Validated
@ConfigurationProperties("millwright.mes")
public record MesProperties(
        @NotBlank String kafkaBootstrapServers,
        @DefaultValue("3") @Min(1) @Max(1000) int topicPartitions,
        @DefaultValue("1") @Min(1) @Max(10) short topicReplicationFactor,
        @DefaultValue("5ms") Duration kafkaLinger,
        @DefaultValue("256KB") DataSize kafkaBatchSize,
        @DefaultValue("3") @Min(0) @Max(100) int artemisRedeliveries,
        @DefaultValue("true") boolean createDestinations,
        @DefaultValue("batch") @NotNull ArtemisSignals artemisSignals,
        @DefaultValue("true") boolean kafkaEnabled,
        @DefaultValue("lz4") @jakarta.validation.constraints.Pattern(regexp = "none|gzip|snappy|lz4|zstd",
                message = "must be none, gzip, snappy, lz4 or zstd") String kafkaCompression,
        @DefaultValue("20000") @Min(100) @Max(10_000_000) int kafkaMaxUnacknowledged,
        @DefaultValue("4") @Min(1) @Max(64) int artemisSenders) {

    /** Bound from {@code millwright.mes.*}. */
    @ConstructorBinding
    public MesProperties {}

    /** Settings with Kafka publishing on (the all-in-one and central hubs). */
    public MesProperties(String kafkaBootstrapServers, int topicPartitions, short topicReplicationFactor,
            Duration kafkaLinger, DataSize kafkaBatchSize, int artemisRedeliveries, boolean createDestinations,
            ArtemisSignals artemisSignals) {
        this(kafkaBootstrapServers, topicPartitions, topicReplicationFactor, kafkaLinger, kafkaBatchSize,
                artemisRedeliveries, createDestinations, artemisSignals, true);
    }

    /** Settings with the default compression. */
    public MesProperties(String kafkaBootstrapServers, int topicPartitions, short topicReplicationFactor,
            Duration kafkaLinger, DataSize kafkaBatchSize, int artemisRedeliveries, boolean createDestinations,
            ArtemisSignals artemisSignals, boolean kafkaEnabled) {
        this(kafkaBootstrapServers, topicPartitions, topicReplicationFactor, kafkaLinger, kafkaBatchSize,
                artemisRedeliveries, createDestinations, artemisSignals, kafkaEnabled, "lz4");
    }

    /** Settings with the default bound on unacknowledged Kafka sends. */
    public MesProperties(String kafkaBootstrapServers, int topicPartitions, short topicReplicationFactor,
            Duration kafkaLinger, DataSize kafkaBatchSize, int artemisRedeliveries, boolean createDestinations,
            ArtemisSignals artemisSignals, boolean kafkaEnabled, String kafkaCompression) {
        this(kafkaBootstrapServers, topicPartitions, topicReplicationFactor, kafkaLinger, kafkaBatchSize,
                artemisRedeliveries, createDestinations, artemisSignals, kafkaEnabled, kafkaCompression, 20_000);
    }

    /** Settings with the default number of Artemis senders. */
    public MesProperties(String kafkaBootstrapServers, int topicPartitions, short topicReplicationFactor,
            Duration kafkaLinger, DataSize kafkaBatchSize, int artemisRedeliveries, boolean createDestinations,
            ArtemisSignals artemisSignals, boolean kafkaEnabled, String kafkaCompression, int kafkaMaxUnacknowledged) {
        this(kafkaBootstrapServers, topicPartitions, topicReplicationFactor, kafkaLinger, kafkaBatchSize,
                artemisRedeliveries, createDestinations, artemisSignals, kafkaEnabled, kafkaCompression,
                kafkaMaxUnacknowledged, 4);
    }

    /** How signal events go to Artemis. */
    public enum ArtemisSignals {
        /** One message per batch of readings: a CloudEvents JSON batch ({@code application/cloudevents-batch+json}). */
        BATCH,
        /** One message per signal, like every other event type: about 20 CPU-µs more per change (docs/benchmarks.md). */
        EACH,
        /** Signals go to Kafka only. */
        NONE
    }
}
