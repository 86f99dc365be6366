package io.millwright.ot;

import io.millwright.model.InvalidEventException;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Reading a source's definition as the provisioning API receives it (keys in kebab-case), the same
 * way for every source type that takes one (MQTT sources, Sparkplug hosts): errors name the key.
 */
public final class ConnectionDefinitions {

    private static final String ENVIRONMENT_REFERENCE = "\\$\\{[A-Za-z_][A-Za-z0-9_]*}";

    private ConnectionDefinitions() {}

    /** The key's value as text, or {@code fallback} when it is absent. */
    public static String text(Map<String, Object> definition, String key, String fallback) {
        Object value = definition.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    /**
     * The {@code password} key resolved: it may only name an environment variable
     * ({@code ${VARIABLE}}), never hold the password itself; "" when absent.
     *
     * @param example an example reference for the error message, e.g. {@code ${MILLWRIGHT_MQTT_LINE4_PASSWORD}}
     */
    public static String password(Map<String, Object> definition, Environment environment, String example) {
        String password = text(definition, "password", "");
        if (password.isEmpty()) {
            return "";
        }
        if (!password.matches(ENVIRONMENT_REFERENCE)) {
            throw InvalidEventException.field("password", null,
                    "must be a reference to an environment variable, e.g. " + example + ", never the password itself");
        }
        String variable = password.substring(2, password.length() - 1);
        String resolved = environment.getProperty(variable);
        if (resolved == null) {
            throw InvalidEventException.field("password", null, "the environment variable " + variable + " is not set");
        }
        return resolved;
    }

    /** A bean-validation property path as the definition's key: {@code brokerUrl} -> {@code broker-url}, {@code topics[0].<list element>} -> {@code topics[0]}. */
    public static String kebab(String path) {
        String plain = path.replace(".<list element>", "");
        return plain.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
