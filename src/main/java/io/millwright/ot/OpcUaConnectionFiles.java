package io.millwright.ot;

import io.millwright.ot.OpcUaConnection.OpcUaNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.PropertyResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates the OPC UA connection files, {@code <adapters-dir>/opcua/*.yaml}. String
 * values may hold Spring placeholders ({@code ${millwright.sim.opcua.port}}), resolved through the
 * environment; a password may only be such a reference to an environment variable. Any problem
 * fails with the file, the key and the reason (see docs/opcua-adapter.md for the keys).
 */
public class OpcUaConnectionFiles {

    private static final Logger log = LoggerFactory.getLogger(OpcUaConnectionFiles.class);

    private static final Set<String> KEYS =
            Set.of("enabled", "endpoint", "override-host", "security", "username", "password", "nodes");
    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");
    // camel-milo 4.17 takes credentials from the URI's user info and strips them again with a
    // regular expression on the decoded text, so characters that need escaping cannot work
    private static final Pattern URI_SAFE_CREDENTIAL = Pattern.compile("[A-Za-z0-9._~!$'*,;=-]+");

    private final PropertyResolver resolver;

    public OpcUaConnectionFiles(PropertyResolver resolver) {
        this.resolver = resolver;
    }

    /** All connection files in {@code directory} by name; an absent directory holds none. */
    public List<OpcUaConnection> load(Path directory) {
        if (!Files.isDirectory(directory)) {
            log.info("No OPC UA connection files dir={}", directory.toAbsolutePath());
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list OPC UA connection files in " + directory, e);
        }
        List<OpcUaConnection> connections = new ArrayList<>();
        Map<String, Path> ids = new HashMap<>();
        for (Path file : files) {
            OpcUaConnection connection = read(file);
            Path other = ids.putIfAbsent(connection.id(), file);
            if (other != null) {
                throw new InvalidConnectionFileException(
                        file, null, "has the same connection id '" + connection.id() + "' as " + other);
            }
            connections.add(connection);
        }
        return connections;
    }

    /** One connection file, validated. */
    public OpcUaConnection read(Path file) {
        String fileName = file.getFileName().toString();
        String id = fileName.replaceFirst("\\.ya?ml$", "");
        if (!ID.matcher(id).matches()) {
            throw new InvalidConnectionFileException(
                    file, null, "file name must be the connection id in kebab-case (a-z, 0-9, '-'), e.g. line2-press.yaml");
        }
        Map<?, ?> root = parse(file);
        for (Object key : root.keySet()) {
            if ("sampling-interval".equals(key) || "publishing-interval".equals(key)) {
                throw new InvalidConnectionFileException(file, String.valueOf(key),
                        "is not honoured by camel-milo 4.17 (every item samples at 1000 ms with queue size 1,"
                                + " publishing every 1000 ms); remove the key");
            }
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidConnectionFileException(
                        file, String.valueOf(key), "is not a known key; known keys: " + new java.util.TreeSet<>(KEYS));
            }
        }
        boolean enabled = bool(file, root, "enabled", true);
        String endpoint = endpoint(file, root);
        boolean overrideHost = bool(file, root, "override-host", false);
        List<String> security = security(file, root);
        String username = optionalString(file, root, "username");
        String passwordVariable = passwordVariable(file, root, username);
        if (username != null && passwordVariable == null) {
            // camel-milo 4.17 fails on a user name without a password (it splits user:password)
            throw new InvalidConnectionFileException(
                    file, "password", "is required with 'username', as ${ENV_VARIABLE}; leave both out for anonymous");
        }
        List<OpcUaNode> nodes = nodes(file, root);
        return new OpcUaConnection(
                id, file, enabled, endpoint, overrideHost, security, username, passwordVariable, nodes);
    }

    private static Map<?, ?> parse(Path file) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new InvalidConnectionFileException(file, null, "cannot be read: " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new InvalidConnectionFileException(file, null, "is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidConnectionFileException(
                    file, null, "must be a YAML mapping with at least 'endpoint' and 'nodes'");
        }
        return map;
    }

    private String endpoint(Path file, Map<?, ?> root) {
        String endpoint = optionalString(file, root, "endpoint");
        if (endpoint == null) {
            throw new InvalidConnectionFileException(
                    file, "endpoint", "is required: the server's opc.tcp URL, e.g. opc.tcp://10.0.0.5:4840");
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new InvalidConnectionFileException(file, "endpoint", "is not a URL: " + e.getMessage());
        }
        if (!"opc.tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new InvalidConnectionFileException(
                    file, "endpoint", "must be opc.tcp://<host>:<port>[/path], was '" + endpoint + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidConnectionFileException(
                    file, "endpoint", "must not contain credentials; use 'username' and 'password'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidConnectionFileException(
                    file, "endpoint", "must not have a query or fragment, was '" + endpoint + "'");
        }
        return endpoint;
    }

    private List<String> security(Path file, Map<?, ?> root) {
        Object raw = root.get("security");
        List<Object> entries = raw == null ? List.of("None") : raw instanceof List<?> list ? List.copyOf(list) : List.of(raw);
        if (entries.isEmpty()) {
            throw new InvalidConnectionFileException(file, "security", "must list at least one policy, e.g. [None]");
        }
        Set<String> policies = new LinkedHashSet<>();
        for (Object entry : entries) {
            String name = resolve(file, "security", String.valueOf(entry));
            SecurityPolicy policy = policy(name);
            if (policy == null) {
                throw new InvalidConnectionFileException(file, "security",
                        "'" + name + "' is not an OPC UA security policy; use None, Basic256Sha256,"
                                + " Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss");
            }
            if (policy != SecurityPolicy.None) {
                throw new InvalidConnectionFileException(file, "security",
                        "'" + name + "' needs a client certificate, which the OPC UA adapter cannot configure yet;"
                                + " use None (see docs/opcua-adapter.md)");
            }
            policies.add(policy.name());
        }
        return List.copyOf(policies);
    }

    private static SecurityPolicy policy(String name) {
        for (SecurityPolicy policy : SecurityPolicy.values()) {
            if (policy.name().equals(name) || policy.getUri().equals(name)) {
                return policy;
            }
        }
        return null;
    }

    private String passwordVariable(Path file, Map<?, ?> root, String username) {
        Object raw = root.get("password");
        if (raw == null) {
            return null;
        }
        var matcher = ENV_REFERENCE.matcher(String.valueOf(raw));
        if (!matcher.matches()) {
            throw new InvalidConnectionFileException(file, "password",
                    "must be a reference to an environment variable, e.g. ${PLANT_OPCUA_PASSWORD};"
                            + " never write the password into the file");
        }
        if (username == null) {
            throw new InvalidConnectionFileException(file, "password", "needs a 'username' beside it");
        }
        String variable = matcher.group(1);
        String password = resolver.getProperty(variable);
        if (password == null || password.isEmpty()) {
            throw new InvalidConnectionFileException(
                    file, "password", "refers to " + variable + ", which is not set in the environment");
        }
        if (!URI_SAFE_CREDENTIAL.matcher(password).matches()) {
            throw new InvalidConnectionFileException(file, "password",
                    "the value of " + variable + " contains characters camel-milo 4.17 cannot pass"
                            + " (allowed: letters, digits and . _ ~ ! $ ' * , ; = -)");
        }
        return variable;
    }

    private List<OpcUaNode> nodes(Path file, Map<?, ?> root) {
        Object raw = root.get("nodes");
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidConnectionFileException(
                    file, "nodes", "is required: a list of node ids, e.g. - nsu=urn:example;s=Line1.Speed");
        }
        List<OpcUaNode> nodes = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "nodes[" + i + "]";
            Object entry = list.get(i);
            String nodeId;
            String name = null;
            if (entry instanceof Map<?, ?> map) {
                for (Object k : map.keySet()) {
                    if (!"node".equals(k) && !"name".equals(k)) {
                        throw new InvalidConnectionFileException(
                                file, key + "." + k, "is not a known key; a node entry has 'node' and 'name'");
                    }
                }
                if (map.get("node") == null) {
                    throw new InvalidConnectionFileException(file, key + ".node", "is required");
                }
                nodeId = resolve(file, key + ".node", String.valueOf(map.get("node")));
                if (map.get("name") != null) {
                    name = String.valueOf(map.get("name"));
                    if (!ID.matcher(name).matches()) {
                        throw new InvalidConnectionFileException(
                                file, key + ".name", "must be kebab-case (a-z, 0-9, '-'), was '" + name + "'");
                    }
                }
            } else if (entry instanceof String s) {
                nodeId = resolve(file, key, s);
            } else {
                throw new InvalidConnectionFileException(
                        file, key, "must be a node id string or a mapping with 'node' and 'name'");
            }
            try {
                ExpandedNodeId.parse(nodeId);
            } catch (RuntimeException e) {
                throw new InvalidConnectionFileException(file, key,
                        "'" + nodeId + "' is not an OPC UA node id; write e.g. nsu=urn:example;s=Line1.Speed or ns=2;i=1001",
                        e);
            }
            if (nodeId.contains(")") && nodeId.contains("}")) {
                throw new InvalidConnectionFileException(
                        file, key, "'" + nodeId + "' contains both ')' and '}', which Camel's RAW() cannot carry");
            }
            if (name == null) {
                name = routeName(nodeId);
            }
            String previous = names.putIfAbsent(name, nodeId);
            if (previous != null) {
                throw new InvalidConnectionFileException(file, key, previous.equals(nodeId)
                        ? "'" + nodeId + "' is listed twice"
                        : "'" + nodeId + "' and '" + previous + "' give the same route name '" + name
                                + "'; give one of them a 'name'");
            }
            nodes.add(new OpcUaNode(nodeId, name));
        }
        return nodes;
    }

    /**
     * The route-id suffix for a node id: its identifier in kebab-case,
     * {@code nsu=urn:millwright:sim:plant;s=Line1.Machine1.State} gives {@code line1-machine1-state},
     * {@code ns=2;i=1001} gives {@code i-1001}.
     */
    static String routeName(String nodeId) {
        String identifier = nodeId;
        String prefix = "";
        for (String part : nodeId.split(";")) {
            if (part.matches("[sigb]=.*")) {
                identifier = part.substring(2);
                prefix = part.startsWith("s=") ? "" : part.substring(0, 1) + "-";
            }
        }
        String slug = (prefix + identifier)
                .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "node" : slug;
    }

    private boolean bool(Path file, Map<?, ?> root, String key, boolean defaultValue) {
        Object raw = root.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String value = resolve(file, key, String.valueOf(raw)).trim();
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new InvalidConnectionFileException(file, key, "must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private String optionalString(Path file, Map<?, ?> root, String key) {
        Object raw = root.get(key);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw new InvalidConnectionFileException(file, key, "must be a single value");
        }
        String value = resolve(file, key, String.valueOf(raw)).trim();
        if (value.isEmpty()) {
            return null;
        }
        if ("username".equals(key) && !URI_SAFE_CREDENTIAL.matcher(value).matches()) {
            throw new InvalidConnectionFileException(file, key,
                    "contains characters camel-milo 4.17 cannot pass (allowed: letters, digits and . _ ~ ! $ ' * , ; = -)");
        }
        return value;
    }

    private String resolve(Path file, String key, String value) {
        try {
            return resolver.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectionFileException(file, key, e.getMessage(), e);
        }
    }
}
