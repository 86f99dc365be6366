package io.millwright.edge.link;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The edge hub's store-and-forward link to the central hub, {@code millwright.edge.*} (used by
 * the {@code edge} profile): where the central hub's Artemis is, as whom the edge logs in there,
 * and how much the local buffer may hold while the link is down.
 *
 * @param centralUrl the central hub's Artemis acceptor, e.g. {@code tcp://central:61616}; the
 *     {@code edge} profile refuses to start without it
 * @param centralUser the edge's user on the central hub's Artemis (role {@code edge}: send to the
 *     edge ingress address only)
 * @param centralPassword its password, from {@code MILLWRIGHT_EDGE_PASSWORD}
 * @param retryInterval first wait before the link reconnects; doubles per attempt
 * @param maxRetryInterval longest wait between reconnect attempts (the link retries for ever)
 * @param confirmationWindow bytes the central broker confirms at once; the edge re-sends what is
 *     unconfirmed after a reconnect (and the central drops what it already has)
 * @param buffer limits of the local buffer (the {@code millwright.edge.outbox} queue)
 * @param tls TLS to the central hub's acceptor (its {@code millwright.artemis.keystore}); off while
 *     {@code trust-store} is blank
 */
@Validated
@ConfigurationProperties("millwright.edge")
public record EdgeLinkProperties(
        String centralUrl,
        @DefaultValue("edge") @NotBlank String centralUser,
        String centralPassword,
        @DefaultValue("1s") @NotNull Duration retryInterval,
        @DefaultValue("30s") @NotNull Duration maxRetryInterval,
        @DefaultValue("1MB") @NotNull DataSize confirmationWindow,
        @DefaultValue @NotNull @Valid Buffer buffer,
        @DefaultValue @NotNull @Valid Tls tls) {

    /**
     * The link over TLS: the edge trusts the central hub's certificate from this trust store and
     * checks that it names the host of {@code central-url}.
     *
     * @param trustStore the trust store file (PKCS12 or JKS) holding the central hub's certificate
     *     or its CA; blank = plain TCP
     * @param trustStorePassword its password, from {@code MILLWRIGHT_EDGE_TRUSTSTORE_PASSWORD}
     * @param trustStoreType {@code PKCS12} or {@code JKS}
     * @param verifyHost the certificate must name the host of {@code central-url} (leave on)
     */
    public record Tls(
            @DefaultValue("") String trustStore,
            @DefaultValue("") String trustStorePassword,
            @DefaultValue("PKCS12") @NotBlank String trustStoreType,
            @DefaultValue("true") boolean verifyHost) {

        public boolean enabled() {
            return trustStore != null && !trustStore.isBlank();
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Tls[trustStore=" + trustStore + ", trustStoreType=" + trustStoreType + ", verifyHost=" + verifyHost + "]";
        }
    }

    /**
     * @param memory buffer held in memory; beyond it the buffer pages to disk
     *     ({@code max-size-bytes})
     * @param maxBytes most bytes of paged events on disk ({@code page-limit-bytes})
     * @param maxMessages most events waiting
     * @param maxAge an event waiting longer leaves the buffer for Artemis's {@code ExpiryAddress}
     *     (counted as dropped, kept there for inspection); 0 = no age limit
     * @param fullPolicy what happens at the limit
     */
    public record Buffer(
            @DefaultValue("10MB") @NotNull DataSize memory,
            @DefaultValue("1GB") @NotNull DataSize maxBytes,
            @DefaultValue("1000000") @Min(1) long maxMessages,
            @DefaultValue("7d") @NotNull Duration maxAge,
            @DefaultValue("DROP_OLDEST") @NotNull FullPolicy fullPolicy) {}

    /** What the buffer does when it holds {@code max-messages} events or {@code max-bytes} on disk. */
    public enum FullPolicy {
        /**
         * The oldest waiting event makes room for the new one (an Artemis ring queue of
         * {@code max-messages}), counted as dropped. At {@code max-bytes} on disk Artemis can only
         * drop the newest event (page-full policy DROP).
         */
        DROP_OLDEST,
        /**
         * A new event is refused: the hub's publishing retries it and then parks it in the
         * dead-letter store with the reason, resubmittable (back-pressure on the producing flow).
         */
        FAIL
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "EdgeLinkProperties[centralUrl=" + centralUrl + ", centralUser=" + centralUser + ", centralPassword=******"
                + ", retryInterval=" + retryInterval + ", maxRetryInterval=" + maxRetryInterval
                + ", confirmationWindow=" + confirmationWindow + ", buffer=" + buffer + ", tls=" + tls + "]";
    }
}
