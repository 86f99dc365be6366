package io.millwright.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The packaged hub ({@code target/millwright-*.jar}) as a child process, for the integration tests that
 * kill or fail over whole hubs. Its work folder is laid out as the README's (config, mappings,
 * analytics-bridge, routes, adapters, data), copied from the repository; each hub gets free ports for
 * HTTP and its embedded brokers and its stdout and stderr in files of its folder, kept after the run.
 *
 * <pre>{@code
 * PackagedHub hub = PackagedHub.in(dir).name("a").database(db).heap("320m")
 *         .arg("--millwright.cluster.enabled=true").env("MILLWRIGHT_ERP_PASSWORD", "x").start();
 * JsonNode routes = hub.getJson("/actuator/camelroutes");
 * hub.kill();
 * }</pre>
 *
 * <p>Needs the jar: the {@code package} phase before {@code integration-test} builds it.
 */
public final class PackagedHub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The client compiler only and the serial GC: see {@link Builder#quickStart(boolean)}. */
    static final List<String> QUICK_START_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** {@code -Xmx} of a hub whose test names none; also the archive training's ({@link PackagedHubArchiveAhead}). */
    static final String DEFAULT_HEAP = "384m";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int artemisPort;
    private final Path dir;
    private final String adminPassword;
    private volatile boolean killed;

    private PackagedHub(String name, Process process, int httpPort, int artemisPort, Path dir, String adminPassword) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.artemisPort = artemisPort;
        this.dir = dir;
        this.adminPassword = adminPassword;
    }

    /** A hub whose work folder is {@code dir} (created, and laid out from the repository, at {@link Builder#start()}). */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /** The executable jar the build packaged. */
    public static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("millwright-.*\\.jar")
                            && !p.getFileName().toString().endsWith("-plain.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no target/millwright-*.jar: run through mvn verify (package first)"))
                    .toAbsolutePath();
        }
    }

    /**
     * Lays out a hub work folder under {@code dir} as the README's: {@code config/application*.yaml},
     * {@code mappings/} and {@code analytics-bridge/} from the repository, and empty {@code routes/},
     * {@code adapters/opcua/} and {@code data/}.
     */
    public static void prepareWorkDir(Path dir) throws IOException {
        Path repository = Path.of("").toAbsolutePath();
        Files.createDirectories(dir.resolve("config"));
        // the profile files too (edge, central, ...): they apply only with --spring.profiles.active
        try (Stream<Path> files = Files.list(repository.resolve("config"))) {
            for (Path file : files.filter(p -> p.getFileName().toString().matches("application.*\\.yaml")).toList()) {
                Files.copy(file, dir.resolve("config").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TestFiles.copyTree(repository.resolve("mappings"), dir.resolve("mappings"));
        TestFiles.copyTree(repository.resolve("analytics-bridge"), dir.resolve("analytics-bridge"));
        Files.createDirectories(dir.resolve("routes"));
        Files.createDirectories(dir.resolve("adapters/opcua"));
        Files.createDirectories(dir.resolve("data"));
    }

    /**
     * A fresh work folder for one run of an integration test: {@code target/<test>/<millis>}, kept after the run
     * (the hubs' logs in it are what to read when the test fails).
     */
    public static Path runFolder(String test) throws IOException {
        return Files.createDirectories(Path.of("target", test, String.valueOf(System.currentTimeMillis()))).toAbsolutePath();
    }

    /**
     * Lays out a hub work folder ({@link #prepareWorkDir(Path)}) whose one OPC UA connection, {@code plant-sim}, reads
     * {@code nodes} from a plant simulator on {@code opcuaPort} in the test's JVM (the packaged hub starts with its
     * own simulators off).
     */
    public static void prepareWorkDir(Path dir, int opcuaPort, String... nodes) throws IOException {
        prepareWorkDir(dir);
        StringBuilder connection = new StringBuilder("endpoint: opc.tcp://127.0.0.1:" + opcuaPort + "/millwright\n"
                + "security: [None]\nnodes:\n");
        for (String node : nodes) {
            connection.append("  - nsu=urn:millwright:sim:plant;s=").append(node).append('\n');
        }
        Files.writeString(dir.resolve("adapters/opcua/plant-sim.yaml"), connection);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The port of its embedded Artemis's acceptor ({@code millwright.artemis.port}). */
    public int artemisPort() {
        return artemisPort;
    }

    public Path dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, transactions and claims are left as they were. Waits for the end. */
    public void kill() throws InterruptedException {
        killed = true;
        process.destroyForcibly().waitFor();
    }

    /**
     * SIGTERM, as systemd and Kubernetes stop a hub: its shutdown hook runs. Waits up to {@code timeout};
     * true when the hub ended within it.
     */
    public boolean terminate(Duration timeout) throws InterruptedException {
        killed = true;
        process.destroy();
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Fails when the hub ended without {@link #kill()}: the test's hub must not die by itself. */
    public void assertAlive() {
        if (!killed && !process.isAlive()) {
            throw new AssertionError("hub " + name + " ended by itself, exit " + process.exitValue() + "; see "
                    + dir.resolve("hub.out.log"));
        }
    }

    /**
     * {@code GET path} as admin: the body as JSON for 200, and for 503 (health answers DOWN with the same
     * body); null when the hub does not listen yet or answers anything else.
     */
    public JsonNode getJson(String path) {
        try {
            HttpResponse<String> response = send("GET", path, Duration.ofSeconds(5));
            return response.statusCode() == 200 || response.statusCode() == 503 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A request without a body, as admin, answered whole. */
    public HttpResponse<String> send(String method, String path, Duration timeout) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + credentials)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(timeout)
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The status of route {@code routeId} in Camel ({@code /actuator/camelroutes}), null while the hub is not up. */
    public String routeStatus(String routeId) {
        assertAlive();
        JsonNode routes = getJson("/actuator/camelroutes");
        if (routes == null) {
            return null;
        }
        for (JsonNode route : routes) {
            if (routeId.equals(route.path("id").asText())) {
                return route.path("status").asText();
            }
        }
        return null;
    }

    /** Whether route {@code routeId} is started in Camel (false while the hub is not up). */
    public boolean runs(String routeId) {
        return "Started".equals(routeStatus(routeId));
    }

    /**
     * The time of the last value OPC UA connection {@code connection} received (health component {@code opcua}),
     * null before the first one and while the hub is not up.
     */
    public String lastValueTime(String connection) {
        JsonNode health = getJson("/actuator/health/opcua");
        JsonNode time = health == null ? null : health.path("details").path(connection).path("lastValueTime");
        return time == null || time.isMissingNode() || time.isNull() ? null : time.asText();
    }

    @Override
    public void close() {
        killed = true;
        process.destroyForcibly();
    }

    /** How to start one hub: its name, database, heap, extra arguments and environment. */
    public static final class Builder {

        private final Path dir;
        private String name = "hub";
        private String heap = DEFAULT_HEAP;
        private TestDatabase database;
        private String adminPassword = "packaged-hub-admin";
        private boolean quickStart = true;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(Path dir) {
            this.dir = dir.toAbsolutePath();
        }

        /** Names the hub in messages and its log files ({@code <name>.out.log}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** {@code -Xmx}. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** The hub's database (a PostgreSQL schema of {@link TestDatabase#postgres()}): its URL, user and password. */
        public Builder database(TestDatabase database) {
            this.database = database;
            return this;
        }

        /**
         * Whether the JVM is tuned for a quick start (the default): {@code -XX:TieredStopAtLevel=1} (the client
         * compiler only: most of a hub's start in a test is class loading and JIT work, and the server
         * compiler's threads compete for the 2 shared cores), {@code -XX:+UseSerialGC} (no concurrent GC
         * threads), and the jar run as {@code scripts/millwright} runs it after {@code --prepare-cds}: extracted,
         * from a class data sharing archive of a training start, both made once per build by the first hub of
         * the run ({@link ClassDataSharing}). A test that measures the hub under load asks for the JVM and the jar
         * as shipped with {@code false}.
         */
        public Builder quickStart(boolean quickStart) {
            this.quickStart = quickStart;
            return this;
        }

        /**
         * No Kafka, as the edge profile runs (README "Edge and central deployment"): no embedded broker to start,
         * events to Artemis only ({@code millwright.mes.kafka-enabled=false}), and the Kafka readers off (analytics'
         * lake, rollups, anomalies and KPIs, the ERP's document notifications and final confirmations); alerting reads
         * Artemis then. For a test that checks nothing on Kafka or analytics (the ERP relay runs as shipped).
         */
        public Builder withoutKafka() {
            for (String setting : List.of("millwright.kafka.embedded=false", "millwright.mes.kafka-enabled=false",
                    "millwright.analytics.lake.enabled=false", "millwright.analytics.rollups.enabled=false",
                    "millwright.analytics.anomaly.enabled=false", "millwright.analytics.kpi.enabled=false",
                    "millwright.erp.documents.notifications-enabled=false",
                    "millwright.erp.final-confirmation.on-order-completed=false")) {
                args.add("--" + setting);
            }
            return this;
        }

        /** {@code MILLWRIGHT_ADMIN_PASSWORD}, and what {@link #getJson} and {@link #send} log in with. */
        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        /** A command-line argument ({@code --key=value}); one with the key of a default (a port, a simulator) replaces it. */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /**
         * Lays out the work folder when it has no {@code config/} yet, and starts the jar with the simulators
         * off, free ports for HTTP, Artemis and Kafka, the data folder under the work folder, and the database.
         */
        public PackagedHub start() throws IOException {
            if (!Files.isDirectory(dir.resolve("config"))) {
                prepareWorkDir(dir);
            }
            // the defaults, then the test's --key=value arguments: one of the same key replaces the default
            // (Spring joins repeated command-line keys with a comma: "--p=1 --p=2" would bind "1,2")
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("millwright.sim.opcua.enabled", "false");
            settings.put("millwright.sim.erp.enabled", "false");
            settings.put("millwright.data-dir", dir.resolve("data").toString());
            settings.put("millwright.artemis.port", String.valueOf(FreePorts.next()));
            settings.put("millwright.kafka.port", String.valueOf(FreePorts.next()));
            settings.put("millwright.kafka.controller-port", String.valueOf(FreePorts.next()));
            settings.put("server.port", String.valueOf(FreePorts.next()));
            settings.put("server.address", "127.0.0.1");
            if (database != null) {
                DriverManagerDataSource dataSource = (DriverManagerDataSource) database.dataSource();
                settings.put("spring.datasource.url", dataSource.getUrl());
                settings.put("spring.datasource.username", dataSource.getUsername());
                settings.put("spring.datasource.password", dataSource.getPassword());
            }
            List<String> others = new ArrayList<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 2) {
                    settings.remove(arg.substring(2, equals)); // keeps the test's order after the defaults
                    settings.put(arg.substring(2, equals), arg.substring(equals + 1));
                } else {
                    others.add(arg);
                }
            }
            int httpPort = Integer.parseInt(settings.get("server.port"));
            int artemisPort = Integer.parseInt(settings.get("millwright.artemis.port"));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
            if (quickStart) {
                command.addAll(QUICK_START_FLAGS);
                command.addAll(ClassDataSharing.launch(heap));
            } else {
                command.addAll(List.of("-jar", jar().toString()));
            }
            settings.forEach((key, value) -> command.add("--" + key + "=" + value));
            command.addAll(others);
            // appended, so that a hub restarted under its name (after a kill, a failover) keeps the log of the one before
            Path out = dir.resolve(name + ".out.log");
            Path err = dir.resolve(name + ".err.log");
            String started = "=== " + name + " started " + java.time.Instant.now() + " ===" + System.lineSeparator();
            Files.writeString(out, started, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(err, started, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            builder.environment().put("MILLWRIGHT_ADMIN_PASSWORD", adminPassword);
            builder.environment().putAll(env);
            return new PackagedHub(name, builder.start(), httpPort, artemisPort, dir, adminPassword);
        }
    }
}
