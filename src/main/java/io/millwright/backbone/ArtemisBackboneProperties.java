package io.millwright.backbone;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the embedded Artemis broker ({@code millwright.artemis.*}).
 *
 * @param embedded run the broker in the hub's JVM; {@code false} means routes use the broker at
 *     {@code spring.artemis.broker-url}
 * @param port TCP port of the single acceptor serving CORE, AMQP, MQTT and STOMP
 * @param bindAddress address the acceptor listens on; loopback by default because security is
 *     off
 */
@Validated
@ConfigurationProperties("millwright.artemis")
public record ArtemisBackboneProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("61616") @Min(1) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress) {}
