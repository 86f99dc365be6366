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
 * @param bindAddress address the acceptor listens on
 * @param hubUser the user the hub itself publishes as (role {@code hub}: send, consume, create)
 * @param hubPassword its password; from {@code MILLWRIGHT_ARTEMIS_HUB_PASSWORD}, generated at
 *     start-up (and printed nowhere: only the hub uses it) when blank
 * @param mesUser the user consumers (MES, subscribers) connect as (role {@code mes}: consume,
 *     browse, create their own queues; never send)
 * @param mesPassword its password; from {@code MILLWRIGHT_MES_PASSWORD}, generated and printed
 *     once to the console when blank
 * @param keystore key store file (PKCS12 or JKS) for TLS on the acceptor, every protocol; blank = plain TCP
 * @param keystorePassword its password, from the environment ({@code MILLWRIGHT_TLS_KEYSTORE_PASSWORD})
 * @param keystoreType {@code PKCS12} or {@code JKS}
 */
@Validated
@ConfigurationProperties("millwright.artemis")
public record ArtemisBackboneProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("61616") @Min(1) @Max(65535) int port,
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("millwright-hub") @NotBlank String hubUser,
        String hubPassword,
        @DefaultValue("mes") @NotBlank String mesUser,
        String mesPassword,
        String keystore,
        String keystorePassword,
        @DefaultValue("PKCS12") String keystoreType) {

    /** The acceptor's TLS key store, or null when none is set. */
    public TlsKeystore tls() {
        return TlsKeystore.fromSetting(keystore, keystorePassword, keystoreType);
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "ArtemisBackboneProperties[embedded=" + embedded + ", port=" + port + ", bindAddress=" + bindAddress
                + ", hubUser=" + hubUser + ", hubPassword=******, mesUser=" + mesUser + ", mesPassword=******]";
    }
}
