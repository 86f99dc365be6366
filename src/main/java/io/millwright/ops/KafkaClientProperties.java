package io.millwright.ops;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the hub's own Kafka clients (the event producer, the topic admin; camel-kafka routes get the
 * same values through {@code camel.component.kafka.*} in config/application.yaml) log in to the
 * cluster, {@code millwright.kafka.client.*}. By default they log in to the embedded broker as its
 * hub user with SASL/SCRAM-SHA-256.
 *
 * @param securityProtocol {@code SASL_PLAINTEXT}, {@code SASL_SSL}, {@code SSL} or {@code PLAINTEXT}
 * @param saslMechanism {@code SCRAM-SHA-256} (or {@code SCRAM-SHA-512}, {@code PLAIN} on an external cluster)
 * @param username the SASL user; blank = no SASL settings
 * @param password its password (from the environment or generated; never logged)
 * @param truststore trust store file for a TLS listener; blank = the JVM's default trust
 * @param truststorePassword its password
 * @param truststoreType {@code PKCS12} or {@code JKS}
 */
@ConfigurationProperties("millwright.kafka.client")
public record KafkaClientProperties(
        @DefaultValue("PLAINTEXT") String securityProtocol,
        @DefaultValue("SCRAM-SHA-256") String saslMechanism,
        String username,
        String password,
        String truststore,
        String truststorePassword,
        @DefaultValue("PKCS12") String truststoreType) {

    /** No authentication, no TLS (a test's own unsecured broker). */
    public static final KafkaClientProperties PLAINTEXT =
            new KafkaClientProperties("PLAINTEXT", "SCRAM-SHA-256", null, null, null, null, "PKCS12");

    /** The settings as Kafka client configuration ({@code security.protocol}, {@code sasl.*}, {@code ssl.truststore.*}). */
    public Map<String, Object> asClientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("security.protocol", securityProtocol);
        if (securityProtocol.startsWith("SASL") && username != null && !username.isBlank()) {
            String module = saslMechanism.startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            config.put("sasl.mechanism", saslMechanism);
            config.put("sasl.jaas.config", module + " required username=\"" + escaped(username)
                    + "\" password=\"" + escaped(password == null ? "" : password) + "\";");
        }
        if (truststore != null && !truststore.isBlank()) {
            config.put("ssl.truststore.location", truststore);
            config.put("ssl.truststore.password", truststorePassword);
            config.put("ssl.truststore.type", truststoreType);
        }
        return config;
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "KafkaClientProperties[securityProtocol=" + securityProtocol + ", saslMechanism=" + saslMechanism
                + ", username=" + username + ", password=******, truststore=" + truststore + "]";
    }
}
