package io.millwright.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.millwright.model.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;

/**
 * Reads and checks the connector files in {@code mappings/connectors/}: unknown keys, missing
 * ones, event types, URLs, durations, and that secrets are environment references, so a mistake
 * is reported with file, key and reason before anything runs. {@code ${NAME}} and
 * {@code ${NAME:default}} are resolved from the hub's environment (variables, system properties,
 * settings).
 */
final class ConnectorFiles {

    static final Set<String> AUTH_TYPES = Set.of("none", "basic", "api-key", "oauth2-client-credentials");
    static final Set<String> OUTCOMES = Set.of("throughput", "quality", "cost", "safety", "predictability");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> TOP_KEYS = Set.of("system", "outcome", "enabled", "on", "when", "mapping", "lookups",
            "request", "auth", "retry");
    private static final Set<String> REQUEST_KEYS = Set.of("method", "url", "headers");
    private static final Set<String> AUTH_KEYS = Set.of("type", "username", "password", "header", "key", "token-url",
            "client-id", "client-secret", "scope");
    private static final Set<String> RETRY_KEYS = Set.of("attempts", "delay", "multiplier", "max-delay");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_.]*}");

    private final Path mappingsDir;
    private final PropertyResolver environment;
    private final YAMLMapper yaml = new YAMLMapper();

    ConnectorFiles(Path mappingsDir, PropertyResolver environment) {
        this.mappingsDir = mappingsDir;
        this.environment = environment;
    }

    Path directory() {
        return mappingsDir.resolve("connectors");
    }

    /** The {@code *.yaml} files of the connectors folder, by name; none when the folder is missing. */
    List<Path> files() throws IOException {
        if (!Files.isDirectory(directory())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    ConnectorDefinition read(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - ".yaml".length());
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConnectorFileException(file, "(file name)",
                    "must be lower-case words joined by '-' (it names routes and metrics), e.g. crm-order-status.yaml");
        }
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidConnectorFileException(file, "(syntax)", e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new InvalidConnectorFileException(file, "(file)", "cannot be read: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode)) {
            throw new InvalidConnectorFileException(file, "(root)", "must be a mapping of keys " + TOP_KEYS);
        }
        Reader r = new Reader(file);
        r.onlyKeys(root, "", TOP_KEYS);
        boolean enabled = r.bool(root, "enabled", true);
        List<EventType> on = r.eventTypes(root.get("on"));
        String when = r.optionalText(root, "when");
        Path mapping = r.mappingFile(r.text(root, "mapping"), "mapping");
        Map<String, Path> lookups = new LinkedHashMap<>();
        JsonNode lookupNode = root.get("lookups");
        if (lookupNode != null) {
            if (!lookupNode.isObject()) {
                throw new InvalidConnectorFileException(file, "lookups", "must map a variable name to a YAML or JSON file, e.g. orders: lookups/orders.yaml");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = lookupNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getKey().matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw new InvalidConnectorFileException(file, "lookups." + entry.getKey(), "must be a JSONata variable name (letters, digits, _)");
                }
                lookups.put(entry.getKey(), r.mappingFile(entry.getValue().asText(), "lookups." + entry.getKey()));
            }
        }
        String system = r.optionalText(root, "system");
        String outcome = r.optionalText(root, "outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw new InvalidConnectorFileException(file, "outcome", "'" + outcome + "' is not one of " + new java.util.TreeSet<>(OUTCOMES));
        }
        // a switched-off connector needs none of its secrets in the environment
        ConnectorDefinition.Auth auth = enabled ? r.auth(root.get("auth")) : ConnectorDefinition.Auth.NONE;
        return new ConnectorDefinition(name, file, system == null ? "other" : system, outcome, enabled, on, when, mapping,
                Map.copyOf(lookups), r.request(root.get("request")), auth, r.retry(root.get("retry")));
    }

    /** Reads values of one file, every failure naming the file and the key. */
    private final class Reader {

        private final Path file;

        Reader(Path file) {
            this.file = file;
        }

        private InvalidConnectorFileException invalid(String key, String reason) {
            return new InvalidConnectorFileException(file, key, reason);
        }

        void onlyKeys(JsonNode node, String prefix, Set<String> allowed) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw invalid(prefix + key, "unknown key; known keys here are " + new java.util.TreeSet<>(allowed));
                }
            }
        }

        String text(JsonNode node, String key) {
            String value = optionalText(node, key);
            if (value == null) {
                throw invalid(key, "is required");
            }
            return value;
        }

        String optionalText(JsonNode node, String key) {
            JsonNode value = node.get(key.substring(key.lastIndexOf('.') + 1));
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isValueNode()) {
                throw invalid(key, "must be a single value");
            }
            return resolve(key, value.asText());
        }

        boolean bool(JsonNode node, String key, boolean fallback) {
            String value = optionalText(node, key);
            if (value == null) {
                return fallback;
            }
            if (!value.equals("true") && !value.equals("false")) {
                throw invalid(key, "must be true or false, not '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }

        String resolve(String key, String value) {
            try {
                return environment.resolveRequiredPlaceholders(value);
            } catch (IllegalArgumentException e) {
                throw invalid(key, e.getMessage() + " (set it in the environment or the hub's settings)");
            }
        }

        List<EventType> eventTypes(JsonNode node) {
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw invalid("on", "must list one or more event types, e.g. [production-count]");
            }
            List<EventType> types = new ArrayList<>();
            for (JsonNode item : node) {
                types.add(eventType(item.asText()));
            }
            return List.copyOf(types);
        }

        private EventType eventType(String name) {
            for (EventType type : EventType.values()) {
                if (type.eventName().equals(name)) {
                    return type;
                }
            }
            throw invalid("on", "'" + name + "' is not an event type; known: "
                    + Stream.of(EventType.values()).map(EventType::eventName).sorted().toList());
        }

        Path mappingFile(String relative, String key) {
            Path resolved = mappingsDir.resolve(relative).normalize();
            if (!resolved.startsWith(mappingsDir.normalize())) {
                throw invalid(key, "must be a file inside the mappings folder, not " + relative);
            }
            if (!Files.isRegularFile(resolved)) {
                throw invalid(key, "file " + resolved + " does not exist");
            }
            return resolved;
        }

        ConnectorDefinition.Request request(JsonNode node) {
            if (node == null || !node.isObject()) {
                throw invalid("request", "is required: method, url and optional headers");
            }
            onlyKeys(node, "request.", REQUEST_KEYS);
            String method = optionalText(node, "request.method");
            method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw invalid("request.method", "'" + method + "' is not one of " + new java.util.TreeSet<>(METHODS));
            }
            String url = text(node, "request.url");
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw invalid("request.url", "must start with http:// or https://");
            }
            try {
                java.net.URI.create(url).toURL();
            } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                throw invalid("request.url", "is not a URL: " + e.getMessage());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode headerNode = node.get("headers");
            if (headerNode != null) {
                if (!headerNode.isObject()) {
                    throw invalid("request.headers", "must map header names to values");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = headerNode.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> header = it.next();
                    String lower = header.getKey().toLowerCase(Locale.ROOT);
                    if (lower.equals("authorization") || lower.contains("key") || lower.contains("token")) {
                        throw invalid("request.headers." + header.getKey(), "credentials go under auth (their values come from the environment)");
                    }
                    headers.put(header.getKey(), resolve("request.headers." + header.getKey(), header.getValue().asText()));
                }
            }
            return new ConnectorDefinition.Request(method, url, Map.copyOf(headers));
        }

        ConnectorDefinition.Auth auth(JsonNode node) {
            if (node == null) {
                return ConnectorDefinition.Auth.NONE;
            }
            if (!node.isObject()) {
                throw invalid("auth", "must be a mapping with a type: " + new java.util.TreeSet<>(AUTH_TYPES));
            }
            onlyKeys(node, "auth.", AUTH_KEYS);
            String type = text(node, "auth.type");
            return switch (type) {
                case "none" -> ConnectorDefinition.Auth.NONE;
                case "basic" -> new ConnectorDefinition.Auth(type, text(node, "auth.username"), secret(node, "auth.password"),
                        null, null, null, null);
                case "api-key" -> new ConnectorDefinition.Auth(type, null, secret(node, "auth.key"),
                        text(node, "auth.header"), null, null, null);
                case "oauth2-client-credentials" -> {
                    String tokenUrl = text(node, "auth.token-url");
                    if (!tokenUrl.startsWith("http://") && !tokenUrl.startsWith("https://")) {
                        throw invalid("auth.token-url", "must start with http:// or https://");
                    }
                    yield new ConnectorDefinition.Auth(type, null, secret(node, "auth.client-secret"), null, tokenUrl,
                            text(node, "auth.client-id"), optionalText(node, "auth.scope"));
                }
                default -> throw invalid("auth.type", "'" + type + "' is not one of " + new java.util.TreeSet<>(AUTH_TYPES));
            };
        }

        /** A secret is only ever an environment reference, never written in the file. */
        private String secret(JsonNode node, String key) {
            JsonNode value = node.get(key.substring(key.lastIndexOf('.') + 1));
            if (value == null || value.asText().isBlank()) {
                throw invalid(key, "is required, as an environment reference like ${MILLWRIGHT_CRM_SECRET}");
            }
            if (!ENV_REFERENCE.matcher(value.asText().trim()).matches()) {
                throw invalid(key, "must be an environment reference like ${MILLWRIGHT_CRM_SECRET}; a secret is never written in a file");
            }
            return resolve(key, value.asText().trim());
        }

        ConnectorDefinition.Retry retry(JsonNode node) {
            if (node == null) {
                return ConnectorDefinition.Retry.DEFAULT;
            }
            if (!node.isObject()) {
                throw invalid("retry", "must be a mapping of " + RETRY_KEYS);
            }
            onlyKeys(node, "retry.", RETRY_KEYS);
            ConnectorDefinition.Retry defaults = ConnectorDefinition.Retry.DEFAULT;
            int attempts = number(node, "retry.attempts", defaults.attempts());
            if (attempts < 1 || attempts > 100) {
                throw invalid("retry.attempts", "must be between 1 and 100, not " + attempts);
            }
            String multiplierText = optionalText(node, "retry.multiplier");
            double multiplier;
            try {
                multiplier = multiplierText == null ? defaults.multiplier() : Double.parseDouble(multiplierText);
            } catch (NumberFormatException e) {
                throw invalid("retry.multiplier", "must be a number, not '" + multiplierText + "'");
            }
            if (multiplier < 1) {
                throw invalid("retry.multiplier", "must be 1 or more, not " + multiplierText);
            }
            return new ConnectorDefinition.Retry(attempts, duration(node, "retry.delay", defaults.delay()), multiplier,
                    duration(node, "retry.max-delay", defaults.maxDelay()));
        }

        private int number(JsonNode node, String key, int fallback) {
            String value = optionalText(node, key);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw invalid(key, "must be a whole number, not '" + value + "'");
            }
        }

        private Duration duration(JsonNode node, String key, Duration fallback) {
            String value = optionalText(node, key);
            if (value == null) {
                return fallback;
            }
            try {
                Duration parsed = DurationStyle.detectAndParse(value);
                if (parsed.isNegative() || parsed.isZero()) {
                    throw invalid(key, "must be positive, not " + value);
                }
                return parsed;
            } catch (IllegalArgumentException e) {
                throw invalid(key, "must be a duration like 500ms, 10s or 2m, not '" + value + "'");
            }
        }
    }
}
