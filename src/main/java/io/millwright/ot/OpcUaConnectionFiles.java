package io.millwright.ot;

import io.millwright.ot.opcua.HandoffSettings;
import io.millwright.ot.opcua.ClientPki;
import io.millwright.ot.opcua.OpcUaConnection;
import io.millwright.ot.opcua.OpcUaConnection.SecuritySettings;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.SubscriptionSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    private static final Set<String> SETTINGS_KEYS =
            Set.of("sampling-interval", "publishing-interval", "queue-size", "discard-oldest", "deadband", "stale-after");
    private static final Set<String> KEYS = union(SETTINGS_KEYS,
            "enabled", "endpoint", "override-host", "security", "username", "password", "hand-off", "nodes", "groups",
            "security-mode", "allow-basic128rsa15", "user-certificate", "user-key", "browse", "mapping");
    private static final Set<String> BROWSE_KEYS = Set.of("root", "include", "exclude", "interval", "data-types");
    private static final Duration DEFAULT_BROWSE_INTERVAL = Duration.ofMinutes(10);
    /** The policies the adapter offers; Basic128Rsa15 only with {@code allow-basic128rsa15: true}. */
    private static final Set<SecurityPolicy> SUPPORTED_POLICIES = Set.of(SecurityPolicy.None, SecurityPolicy.Basic128Rsa15,
            SecurityPolicy.Basic256, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep,
            SecurityPolicy.Aes256_Sha256_RsaPss);
    static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");

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

    /** The connection id a file stands for: its name without {@code .yaml}. */
    static String connectionId(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    /** One connection file, validated. */
    public OpcUaConnection read(Path file) {
        String id = connectionId(file);
        if (!ID.matcher(id).matches()) {
            throw new InvalidConnectionFileException(
                    file, null, "file name must be the connection id in kebab-case (a-z, 0-9, '-'), e.g. line2-press.yaml");
        }
        return validate(id, file, parse(file));
    }

    /**
     * A connection given as a parsed document in the shape of a connection file, e.g. the body of
     * {@code POST /api/connections}, validated exactly as a file is.
     *
     * @param id         the connection id, kebab-case
     * @param origin     where the document comes from, named in every error (e.g. {@code api/connections/line-9})
     * @param definition the document's top-level mapping
     */
    public OpcUaConnection read(String id, Path origin, Map<?, ?> definition) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidConnectionFileException(
                    origin, "name", "must be the connection id in kebab-case (a-z, 0-9, '-'), e.g. line2-press; was '" + id + "'");
        }
        return validate(id, origin, definition);
    }

    private OpcUaConnection validate(String id, Path file, Map<?, ?> root) {
        checkKeys(file, root, "", KEYS);
        ConnectionFileValues values = new ConnectionFileValues(file, resolver);
        boolean enabled = values.bool(root, "", "enabled", true);
        String endpoint = endpoint(file, values.string(root, "", "endpoint"));
        boolean overrideHost = values.bool(root, "", "override-host", false);
        List<String> security = security(file, root, values.bool(root, "", "allow-basic128rsa15", false));
        String username = values.string(root, "", "username");
        String passwordVariable = passwordVariable(file, root, username);
        SecuritySettings securitySettings = securitySettings(file, values, root, security, username);
        HandoffSettings handoff = values.handoff(root);
        SubscriptionSettings settings = values.settings(root, "", SubscriptionSettings.DEFAULTS);
        OpcUaConnection.Browse browse = browse(file, values, root, settings);
        List<NodeGroup> groups = ConnectionFileNodes.groups(file, root, values, settings, browse != null);
        checkMapping(file, values.string(root, "", "mapping"));
        return new OpcUaConnection(id, file, enabled, endpoint, overrideHost, security, username, passwordVariable,
                handoff, groups, securitySettings, browse);
    }

    /**
     * {@code mapping:} names the connection's own JSONata normalization under the mappings folder;
     * the telemetry flow ({@code enrich}) compiles and uses it. Checked here for its form only.
     */
    private static void checkMapping(Path file, String mapping) {
        if (mapping == null) {
            return;
        }
        Path path = Path.of(mapping);
        if (path.isAbsolute() || path.normalize().startsWith("..") || !mapping.endsWith(".jsonata")) {
            throw new InvalidConnectionFileException(file, "mapping",
                    "must be a .jsonata file under the mappings folder, e.g. transform/press-to-signal.jsonata; was '" + mapping + "'");
        }
    }

    static void checkKeys(Path file, Map<?, ?> map, String prefix, Set<String> known) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new InvalidConnectionFileException(
                        file, prefix + key, "is not a known key; known keys: " + new TreeSet<>(known));
            }
        }
    }

    private static Map<?, ?> parse(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return parse(file, reader);
        } catch (IOException e) {
            throw new InvalidConnectionFileException(file, null, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> parse(Path file, Reader reader) {
        Object document;
        try {
            // SnakeYAML refuses documents over 3 MiB by default; 100,000 nodes are about 5 MB
            LoaderOptions limits = new LoaderOptions();
            limits.setCodePointLimit(256 * 1024 * 1024);
            document = new Yaml(new SafeConstructor(limits)).load(reader);
        } catch (YAMLException e) {
            throw new InvalidConnectionFileException(file, null, "is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidConnectionFileException(
                    file, null, "must be a YAML mapping with at least 'endpoint' and 'nodes'");
        }
        return map;
    }

    private static String endpoint(Path file, String endpoint) {
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

    /** The {@code browse} mapping: root, include and exclude patterns, re-browse interval; null when absent. */
    private static OpcUaConnection.Browse browse(
            Path file, ConnectionFileValues values, Map<?, ?> root, SubscriptionSettings settings) {
        Object raw = root.get("browse");
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> browse)) {
            throw new InvalidConnectionFileException(file, "browse",
                    "must be a mapping with root, include, exclude and interval, e.g. { root: Plant1, include: [\"Plant1/**\"] }");
        }
        checkKeys(file, browse, "browse.", BROWSE_KEYS);
        String browseRoot = values.string(browse, "browse.", "root");
        if (browseRoot != null && browseRoot.contains("=")) {
            try {
                ExpandedNodeId.parse(browseRoot);
            } catch (RuntimeException e) {
                throw new InvalidConnectionFileException(file, "browse.root",
                        "'" + browseRoot + "' is not a node id; write a node id (nsu=urn:example;s=Plant1) or a browse path (Plant1/Line1)", e);
            }
        }
        Duration interval = values.duration(browse, "browse.", "interval", DEFAULT_BROWSE_INTERVAL);
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidConnectionFileException(file, "browse.interval", "must be at least 1s, was '" + interval + "'");
        }
        return new OpcUaConnection.Browse(browseRoot, patterns(file, values, browse, "include"),
                patterns(file, values, browse, "exclude"), interval, settings, dataTypes(file, browse));
    }

    /** {@code browse.data-types}: OPC UA built-in type names, e.g. [Double, UInt32]. */
    private static List<String> dataTypes(Path file, Map<?, ?> browse) {
        Object raw = browse.get("data-types");
        if (raw == null) {
            return List.of();
        }
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = String.valueOf(list.get(i)).trim();
            try {
                org.eclipse.milo.opcua.stack.core.OpcUaDataType.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new InvalidConnectionFileException(file, "browse.data-types[" + i + "]",
                        "'" + name + "' is not an OPC UA built-in data type; use e.g. Boolean, Int16, UInt16, Int32,"
                                + " UInt32, Int64, UInt64, Float, Double, String, DateTime");
            }
            types.add(name);
        }
        return types;
    }

    private static List<String> patterns(Path file, ConnectionFileValues values, Map<?, ?> browse, String key) {
        Object raw = browse.get(key);
        if (raw == null) {
            return List.of();
        }
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object entry = list.get(i);
            if (entry instanceof Map<?, ?> || entry instanceof List<?> || String.valueOf(entry).isBlank()) {
                throw new InvalidConnectionFileException(file, "browse." + key + "[" + i + "]",
                        "must be a browse-path pattern, e.g. Plant1/Line*/M*/GoodCount or \"**/Diagnostics/**\"");
            }
            patterns.add(values.resolve("browse." + key + "[" + i + "]", String.valueOf(entry)).trim());
        }
        return patterns;
    }

    /** {@code security-mode} checked against the policies, and the X.509 user identity files. */
    private static SecuritySettings securitySettings(
            Path file, ConnectionFileValues values, Map<?, ?> root, List<String> policies, String username) {
        String mode = values.string(root, "", "security-mode");
        if (mode != null) {
            if (!List.of("None", "Sign", "SignAndEncrypt").contains(mode)) {
                throw new InvalidConnectionFileException(
                        file, "security-mode", "must be SignAndEncrypt, Sign or None, was '" + mode + "'");
            }
            boolean secure = policies.stream().anyMatch(p -> !"None".equals(p));
            if ("None".equals(mode) != !secure || ("None".equals(mode) && policies.size() > 1)) {
                throw new InvalidConnectionFileException(file, "security-mode", "None".equals(mode)
                        ? "None goes only with security: [None]"
                        : "'" + mode + "' needs a signed policy in 'security', e.g. [Basic256Sha256]; the list is " + policies);
            }
        }
        String certificate = values.string(root, "", "user-certificate");
        String key = values.string(root, "", "user-key");
        if (certificate == null && key == null) {
            return new SecuritySettings(mode, null, null);
        }
        if (certificate == null || key == null) {
            throw new InvalidConnectionFileException(file, certificate == null ? "user-certificate" : "user-key",
                    "is required with '" + (certificate == null ? "user-key" : "user-certificate")
                            + "': an X.509 user identity is a certificate and its private key");
        }
        if (username != null) {
            throw new InvalidConnectionFileException(file, "user-certificate",
                    "cannot go with 'username': choose a user name or a user certificate");
        }
        Path certificateFile = Path.of(certificate);
        Path keyFile = Path.of(key);
        try {
            ClientPki.readCertificate(certificateFile);
        } catch (Exception e) {
            throw new InvalidConnectionFileException(file, "user-certificate",
                    "'" + certificate + "' is not a readable X.509 certificate (DER or PEM): " + e.getMessage(), e);
        }
        try {
            ClientPki.readPrivateKey(keyFile);
        } catch (Exception e) {
            throw new InvalidConnectionFileException(file, "user-key",
                    "'" + key + "' is not a readable private key: " + e.getMessage(), e);
        }
        return new SecuritySettings(mode, certificateFile, keyFile);
    }

    private List<String> security(Path file, Map<?, ?> root, boolean allowBasic128Rsa15) {
        Object raw = root.get("security");
        List<Object> entries = raw == null ? List.of("None") : raw instanceof List<?> list ? List.copyOf(list) : List.of(raw);
        if (entries.isEmpty()) {
            throw new InvalidConnectionFileException(file, "security", "must list at least one policy, e.g. [None]");
        }
        Set<String> policies = new LinkedHashSet<>();
        for (Object entry : entries) {
            String name = resolve(file, "security", String.valueOf(entry));
            SecurityPolicy policy = policy(name);
            if (policy == null || !SUPPORTED_POLICIES.contains(policy)) {
                throw new InvalidConnectionFileException(file, "security",
                        "'" + name + "' is not an OPC UA security policy; use Basic256Sha256,"
                                + " Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss, Basic256 or None");
            }
            if (policy == SecurityPolicy.Basic128Rsa15 && !allowBasic128Rsa15) {
                throw new InvalidConnectionFileException(file, "security",
                        "'Basic128Rsa15' is deprecated and broken (SHA-1, RSA PKCS#1 v1.5); set"
                                + " allow-basic128rsa15: true to use it anyway with an old server");
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
            if (username != null) {
                throw new InvalidConnectionFileException(file, "password",
                        "is required with 'username', as ${ENV_VARIABLE}; leave both out for anonymous");
            }
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
        return variable;
    }

    private static Set<String> union(Set<String> set, String... more) {
        Set<String> all = new HashSet<>(set);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }

    private String resolve(Path file, String key, String value) {
        try {
            return resolver.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectionFileException(file, key, e.getMessage(), e);
        }
    }
}
