package io.millwright.subscriptions;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of MES subscriptions, {@code millwright.subscriptions.*}.
 *
 * @param backlogMemory bytes of a subscription's backlog held in broker memory; beyond it Artemis pages to disk
 * @param backlogLimit most bytes of a subscription's backlog on disk (paged); then {@code backlogFullPolicy} applies
 * @param backlogFullPolicy what happens to new events for a subscription whose backlog is full:
 *     {@code DROP} (dropped for that subscription only, counted by the broker) or {@code FAIL}
 *     (refused; the hub's publish is retried, then parked: the plant side waits). Never blocks.
 * @param webhookMaxAttempts POSTs of one event before it goes to the subscription's dead-letter store
 * @param webhookInitialBackoff wait after the first failed POST; doubles per attempt
 * @param webhookMaxBackoff longest wait between two attempts
 * @param webhookTimeout connect and response timeout of one POST
 * @param kafkaBootstrapServers the Kafka cluster of {@code kafka} subscriptions (the hub's event cluster)
 * @param kafkaPartitions partitions of each subscription topic {@code millwright.subscriptions.<name>}
 *     (keyed by asset path: one asset's events stay in order on one partition)
 * @param kafkaReplicationFactor replicas of each subscription topic (1 for the embedded single node)
 * @param kafkaRetention how long a subscription topic keeps an event; with {@code backlogLimit}
 *     (split over the partitions) Kafka's bound on the backlog, the oldest events deleted first
 */
@Validated
@ConfigurationProperties("millwright.subscriptions")
public record SubscriptionsProperties(
        @DefaultValue("10MB") @NotNull DataSize backlogMemory,
        @DefaultValue("1GB") @NotNull DataSize backlogLimit,
        @DefaultValue("DROP") @NotNull BacklogFullPolicy backlogFullPolicy,
        @DefaultValue("8") @Min(1) @Max(100) int webhookMaxAttempts,
        @DefaultValue("1s") @NotNull Duration webhookInitialBackoff,
        @DefaultValue("1m") @NotNull Duration webhookMaxBackoff,
        @DefaultValue("10s") @NotNull Duration webhookTimeout,
        @DefaultValue("127.0.0.1:9092") @NotBlank String kafkaBootstrapServers,
        @DefaultValue("3") @Min(1) @Max(1000) int kafkaPartitions,
        @DefaultValue("1") @Min(1) @Max(10) short kafkaReplicationFactor,
        @DefaultValue("7d") @NotNull Duration kafkaRetention) {

    /** Artemis's page-full-policy for subscription addresses. */
    public enum BacklogFullPolicy { DROP, FAIL }
}
