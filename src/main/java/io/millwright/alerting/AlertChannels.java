package io.millwright.alerting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The alert channels of {@code analytics-bridge/alert-channels.yaml}, read and checked: each error
 * names the file, the channel and the field. Values may use {@code ${VARIABLE}} and
 * {@code ${VARIABLE:default}} placeholders, resolved from the hub's environment; secrets (a mail
 * password, a webhook or chat URL, which carries its token) must be placeholders, never literals in
 * the file. A channel whose target ({@code host}, {@code url}, {@code address}) resolves blank is
 * off, so the shipped file lists every kind and a plant switches them on by setting variables.
 */
final class AlertChannels {

    static final Set<String> KINDS = Set.of("webhook", "mail", "artemis", "chat");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** A channel as written. */
    record RawChannel(String name, String type, List<String> severities, String url, String host, String port, Boolean secure,
            String username, String password, String from, String to, String address) {}

    record File(List<RawChannel> channels) {}

    /** What the channels need from the hub: Camel for mail and Artemis, HTTP settings for webhook and chat. */
    record Context(CamelContext camel, ProducerTemplate producer, Duration timeout, int attempts) {}

    private AlertChannels() {}

    /**
     * Reads the file (absent = no channels).
     *
     * @param resolve resolves {@code ${...}} placeholders; throws {@link IllegalArgumentException} for an unset variable without default
     */
    static List<AlertChannel> read(Path path, UnaryOperator<String> resolve, Context context) {
        if (!Files.isRegularFile(path)) {
            return List.of();
        }
        File file;
        try {
            file = YAML.readValue(path.toFile(), File.class);
        } catch (IOException e) {
            throw new IllegalStateException("alert channels: " + path + " cannot be read: " + e.getMessage(), e);
        }
        List<AlertChannel> channels = new ArrayList<>();
        if (file == null || file.channels() == null) {
            return channels;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < file.channels().size(); i++) {
            RawChannel raw = file.channels().get(i);
            String where = "alert channels: " + path + " channels[" + i + "]" + (raw.name() == null ? "" : " '" + raw.name() + "'");
            Values values = new Values(where, resolve);
            String name = values.required("name", raw.name());
            if (!names.add(name)) {
                throw new IllegalStateException(where + ": the name is used by another channel");
            }
            String type = values.required("type", raw.type()).toLowerCase(Locale.ROOT);
            if (!KINDS.contains(type)) {
                throw new IllegalStateException(where + ": 'type' '" + raw.type() + "' must be one of " + KINDS);
            }
            Set<String> severities = new LinkedHashSet<>();
            for (String severity : raw.severities() == null ? List.<String>of() : raw.severities()) {
                if (severity == null || !AlertRules.SEVERITIES.contains(severity.toLowerCase(Locale.ROOT))) {
                    throw new IllegalStateException(where + ": 'severities' '" + severity + "' must be one of " + AlertRules.SEVERITIES);
                }
                severities.add(severity.toLowerCase(Locale.ROOT));
            }
            AlertChannel channel = switch (type) {
                case "webhook", "chat" -> {
                    String url = values.secret("url", raw.url());
                    if (url.isBlank()) {
                        yield null;
                    }
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        throw new IllegalStateException(where + ": 'url' must be an http:// or https:// URL");
                    }
                    yield new WebhookChannel(name, type.equals("chat"), url, context.timeout(), context.attempts(), severities);
                }
                case "mail" -> {
                    String host = values.optional("host", raw.host());
                    if (host.isBlank()) {
                        yield null;
                    }
                    int port = values.port(raw.port());
                    String username = values.optional("username", raw.username());
                    String password = values.secret("password", raw.password());
                    if (!username.isBlank() && password.isBlank()) {
                        throw new IllegalStateException(where + ": 'password' is required with a username (from the environment)");
                    }
                    yield new MailChannel(name, severities, context.camel(), context.producer(), host, port,
                            Boolean.TRUE.equals(raw.secure()), username, password, values.required("from", raw.from()),
                            values.required("to", raw.to()), context.timeout());
                }
                default -> {
                    String address = values.optional("address", raw.address());
                    if (address.isBlank()) {
                        yield null;
                    }
                    if (!address.matches("[A-Za-z0-9._-]+")) {
                        throw new IllegalStateException(where + ": 'address' '" + address + "' must be an address name such as millwright.alerts");
                    }
                    yield new ArtemisChannel(name, severities, context.producer(), address);
                }
            };
            if (channel != null) {
                channels.add(channel);
            }
        }
        return channels;
    }

    /** A channel's values: placeholders resolved, errors naming the field. */
    private record Values(String where, UnaryOperator<String> resolve) {

        String optional(String field, String raw) {
            if (raw == null) {
                return "";
            }
            try {
                return resolve.apply(raw).trim();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": '" + field + "' " + e.getMessage());
            }
        }

        String required(String field, String raw) {
            String value = optional(field, raw);
            if (value.isBlank()) {
                throw new IllegalStateException(where + ": '" + field + "' is required");
            }
            return value;
        }

        /** A secret: only as a placeholder, so it lives in the environment and not in the file. */
        String secret(String field, String raw) {
            if (raw != null && !raw.isBlank() && !raw.trim().startsWith("${")) {
                throw new IllegalStateException(where + ": '" + field + "' is a secret and must come from the environment,"
                        + " e.g. " + field + ": ${MILLWRIGHT_ALERT_" + field.toUpperCase(Locale.ROOT) + "}");
            }
            return optional(field, raw);
        }

        int port(String raw) {
            String value = optional("port", raw);
            if (value.isBlank()) {
                return 25;
            }
            try {
                int port = Integer.parseInt(value);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw new IllegalStateException(where + ": 'port' '" + value + "' must be a number from 1 to 65535");
        }
    }
}
