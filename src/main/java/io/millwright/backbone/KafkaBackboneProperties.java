package io.millwright.backbone;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the embedded single-node Kafka broker ({@code millwright.kafka.*}).
 *
 * @param embedded run a KRaft broker+controller in the hub's JVM; {@code false} means routes use
 *     the cluster at {@code spring.kafka.bootstrap-servers}
 * @param port PLAINTEXT listener for clients
 * @param controllerPort CONTROLLER listener of the KRaft quorum (one voter: this node)
 * @param bindAddress address both listeners bind to and the address advertised to clients
 * @param partitions partitions of a topic created on first use ({@code num.partitions})
 */
@Validated
@ConfigurationProperties("millwright.kafka")
public record KafkaBackboneProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("9092") @Min(1) @Max(65535) int port,
        @DefaultValue("9093") @Min(1) @Max(65535) int controllerPort,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("3") @Min(1) @Max(1000) int partitions) {}
