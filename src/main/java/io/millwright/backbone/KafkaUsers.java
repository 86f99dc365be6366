package io.millwright.backbone;

import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The embedded Kafka broker's two users (SASL/SCRAM-SHA-256): the hub's own, a super user that
 * produces the events and manages topics, and the consumers' ({@code mes}), which may read and
 * describe the {@code millwright.} topics and join any consumer group, but never write.
 *
 * @param hubUser the hub's user (same name and password as its Artemis user)
 * @param hubPassword its password
 * @param mesUser the consumers' user
 * @param mesPassword its password
 */
public record KafkaUsers(String hubUser, String hubPassword, String mesUser, String mesPassword) {

    /** The SASL mechanism clients log in with. */
    public static final String MECHANISM = "SCRAM-SHA-256";

    public KafkaUsers {
        requireValue("hub user", hubUser);
        requireValue("hub password of user '" + hubUser + "'", hubPassword);
        requireValue("consumer user", mesUser);
        requireValue("consumer password of user '" + mesUser + "'", mesPassword);
    }

    /**
     * Client settings that log in as {@code user} with SCRAM-SHA-256 over a listener of the given
     * protocol ({@code SASL_PLAINTEXT} or {@code SASL_SSL}).
     */
    public static Map<String, Object> scramClient(String securityProtocol, String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password));
    }

    static String jaas(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";";
    }

    static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void requireValue(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Kafka security needs a " + what
                    + "; set millwright.kafka.hub-user/hub-password and mes-user/mes-password"
                    + " (the passwords are generated at start when unset)");
        }
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "KafkaUsers[hubUser=" + hubUser + ", hubPassword=******, mesUser=" + mesUser + ", mesPassword=******]";
    }
}
