package io.millwright.ot;

import io.millwright.ot.opcua.OpcUaConnection;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the OPC UA connection files ({@code <adapters-dir>/opcua/*.yaml}): every
 * {@value #POLL_SECONDS} s the folder is compared with what was read last (modification time and
 * size per file). A changed or new file is read and validated in full before anything is touched;
 * an invalid one is rejected with the file, the key and the reason (log line at ERROR and the
 * health details of {@code opcua}) and the connection keeps running as it was. A valid change
 * restarts only that connection's route (its session reconnects with the new settings); a new
 * file adds a route, a deleted or disabled one removes it. Other connections are not touched.
 */
public class OpcUaConnectionReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpcUaConnectionReloader.class);
    static final long POLL_SECONDS = 2;

    private record Fingerprint(long modified, long size) {}

    /** What one pass did, for tests and logs. */
    public record Outcome(List<String> added, List<String> changed, List<String> removed, Map<Path, String> rejected) {

        boolean nothing() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && rejected.isEmpty();
        }
    }

    private final OpcUaConnectionFiles files;
    private final Path directory;
    private final OpcUaSubscriptionComponent component;
    private final CamelContext camel;
    private final Map<Path, String> rejected = new LinkedHashMap<>();
    private Map<Path, Fingerprint> seen;
    private ScheduledExecutorService poller;

    public OpcUaConnectionReloader(
            OpcUaConnectionFiles files, Path directory, OpcUaSubscriptionComponent component, CamelContext camel) {
        this.files = files;
        this.directory = directory;
        this.component = component;
        this.camel = camel;
        this.seen = scan();
    }

    /** Starts polling the folder. */
    public void start() {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "opcua-connection-reload");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                reload();
            } catch (RuntimeException e) {
                log.error("OPC UA connection files could not be reloaded dir={} reason={}", directory, e.toString());
            }
        }, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Files rejected since they last changed, with the reason (file, key, what is wrong). */
    public synchronized Map<Path, String> rejected() {
        return Map.copyOf(rejected);
    }

    /** One pass: applies what changed since the last one. */
    public synchronized Outcome reload() {
        Map<Path, Fingerprint> now = scan();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<Path, String> rejectedNow = new LinkedHashMap<>();
        if (now.equals(seen)) {
            return new Outcome(added, changed, removed, rejectedNow);
        }
        Set<Path> gone = new HashSet<>(seen.keySet());
        gone.removeAll(now.keySet());
        for (Path file : gone) {
            rejected.remove(file);
            String id = OpcUaConnectionFiles.connectionId(file);
            OpcUaConnection current = component.connection(id);
            if (current != null && current.file().getFileName().equals(file.getFileName())) {
                removeRoute(current);
                removed.add(id);
            }
        }
        for (Map.Entry<Path, Fingerprint> entry : now.entrySet()) {
            Path file = entry.getKey();
            if (Objects.equals(seen.get(file), entry.getValue())) {
                continue;
            }
            OpcUaConnection connection;
            try {
                connection = files.read(file);
            } catch (InvalidConnectionFileException e) {
                rejected.put(file, e.getMessage());
                rejectedNow.put(file, e.getMessage());
                log.error("OPC UA connection file rejected, the connection in use is unchanged file={} key={} reason={}",
                        file, e.key(), e.getMessage());
                continue;
            }
            rejected.remove(file);
            OpcUaConnection current = component.connection(connection.id());
            if (!connection.enabled()) {
                if (current != null) {
                    removeRoute(current);
                    removed.add(connection.id());
                }
            } else if (current == null) {
                addRoute(connection);
                added.add(connection.id());
            } else if (!current.equals(connection)) {
                restartRoute(connection);
                changed.add(connection.id());
            }
        }
        seen = now;
        Outcome outcome = new Outcome(added, changed, removed, rejectedNow);
        if (!outcome.nothing()) {
            log.info("OPC UA connection files reloaded added={} changed={} removed={} rejected={}",
                    added, changed, removed, rejectedNow.keySet());
        }
        return outcome;
    }

    /**
     * The connection file that defines {@code connectionId} ({@code <id>.yaml} or {@code <id>.yml}
     * in the folder), if there is one. A file wins over a connection provisioned through the API.
     */
    public Optional<Path> fileOf(String connectionId) {
        for (String extension : List.of(".yaml", ".yml")) {
            Path file = directory.resolve(connectionId + extension);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a connection that comes from elsewhere than a file (the provisioning API): adds its
     * route, or restarts it with the new settings when it runs already; a disabled one is stopped.
     * Refused while a file defines the same id (the file wins).
     */
    public synchronized void apply(OpcUaConnection connection) {
        fileOf(connection.id()).ifPresent(file -> {
            throw new IllegalStateException("connection '" + connection.id() + "' is defined by the file " + file
                    + "; change or delete the file instead");
        });
        OpcUaConnection current = component.connection(connection.id());
        if (!connection.enabled()) {
            if (current != null) {
                removeRoute(current);
            }
        } else if (current == null) {
            addRoute(connection);
        } else if (!current.equals(connection)) {
            restartRoute(connection);
        }
    }

    /** Stops and removes a connection that does not come from a file; false when it was not running. */
    public synchronized boolean remove(String connectionId) {
        OpcUaConnection current = component.connection(connectionId);
        if (current == null || fileOf(connectionId).isPresent()) {
            return false;
        }
        removeRoute(current);
        return true;
    }

    private void addRoute(OpcUaConnection connection) {
        component.put(connection);
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    OpcUaIngestRoutes.route(this, connection);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("route for " + connection.file() + " not added: " + e.getMessage(), e);
        }
    }

    private void restartRoute(OpcUaConnection connection) {
        String routeId = OpcUaIngestRoutes.routeId(connection);
        try {
            camel.getRouteController().stopRoute(routeId, 30, TimeUnit.SECONDS);
            component.put(connection);
            camel.getRouteController().startRoute(routeId);
            log.info("OPC UA connection reconnects with its changed file connection={} route={}", connection.id(), routeId);
        } catch (Exception e) {
            throw new IllegalStateException("route " + routeId + " not restarted: " + e.getMessage(), e);
        }
    }

    private void removeRoute(OpcUaConnection connection) {
        String routeId = OpcUaIngestRoutes.routeId(connection);
        try {
            camel.getRouteController().stopRoute(routeId, 30, TimeUnit.SECONDS);
            camel.removeRoute(routeId);
            camel.removeEndpoints(connection.endpointUri());
            component.remove(connection.id());
            log.info("OPC UA connection removed connection={} route={}", connection.id(), routeId);
        } catch (Exception e) {
            throw new IllegalStateException("route " + routeId + " not removed: " + e.getMessage(), e);
        }
    }

    private Map<Path, Fingerprint> scan() {
        Map<Path, Fingerprint> found = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path file : listing.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).toList()) {
                try {
                    found.put(file, new Fingerprint(Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
                } catch (IOException e) {
                    // deleted between listing and reading: gone on this pass
                }
            }
        } catch (IOException e) {
            log.warn("OPC UA connection files not listed dir={} reason={}", directory, e.toString());
            return seen == null ? found : seen;
        }
        return found;
    }

    static Duration pollInterval() {
        return Duration.ofSeconds(POLL_SECONDS);
    }
}
