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
 * @param authentication clients log in with SASL/SCRAM-SHA-256 and ACLs apply (default); {@code
 *     false} = PLAINTEXT listener that anyone on the machine may use (tests of other parts only)
 * @param hubUser the hub's own Kafka user, the only super user (defaults to the Artemis hub user)
 * @param hubPassword its password (defaults to the Artemis hub password, generated when unset)
 * @param mesUser the consumers' user: reads {@code millwright.events.*} and {@code
 *     millwright.subscriptions.*}, never writes (defaults to the Artemis consumer user)
 * @param mesPassword its password ({@code MILLWRIGHT_MES_PASSWORD}, shared with Artemis)
 * @param keystore key store file of a TLS listener (PKCS12 or JKS); blank = no TLS
 * @param keystorePassword its password, from the environment ({@code MILLWRIGHT_TLS_KEYSTORE_PASSWORD})
 * @param keystoreType {@code PKCS12} or {@code JKS}
 */
@Validated
@ConfigurationProperties("millwright.kafka")
public record KafkaBackboneProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("9092") @Min(1) @Max(65535) int port,
        @DefaultValue("9093") @Min(1) @Max(65535) int controllerPort,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("3") @Min(1) @Max(1000) int partitions,
        @DefaultValue("true") boolean authentication,
        @DefaultValue("millwright-hub") String hubUser,
        String hubPassword,
        @DefaultValue("mes") String mesUser,
        String mesPassword,
        String keystore,
        String keystorePassword,
        @DefaultValue("PKCS12") String keystoreType) {

    /** The users the broker is built with, or null when {@link #authentication} is off. */
    public KafkaUsers users() {
        return authentication ? new KafkaUsers(hubUser, hubPassword, mesUser, mesPassword) : null;
    }

    /** The TLS key store of the listeners, or null when none is set. */
    public TlsKeystore tls() {
        return TlsKeystore.fromSetting(keystore, keystorePassword, keystoreType);
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "KafkaBackboneProperties[embedded=" + embedded + ", port=" + port + ", controllerPort=" + controllerPort
                + ", bindAddress=" + bindAddress + ", partitions=" + partitions + ", authentication=" + authentication
                + ", hubUser=" + hubUser + ", mesUser=" + mesUser + ", keystore=" + keystore + "]";
    }
}
