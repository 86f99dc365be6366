package io.millwright.connectors;

import io.millwright.ops.FolderWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the connector files ({@code mappings/connectors/*.yaml}) through the hub's folder
 * watcher ({@link FolderWatcher}): a saved or new file is read and checked, and only when it passes are
 * the connector's two routes swapped for the new version's; a deleted file's routes are removed. A file
 * that fails the check (or whose routes do not start) is rejected with file, key and reason, and the
 * version that ran keeps running. Starts watching once Camel has started.
 */
final class ConnectorReloader implements StartupListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectorReloader.class);

    private final ModelCamelContext camel;
    private final Connectors connectors;
    private final Function<ConnectorDefinition, String> source;
    private final Duration debounce;
    private volatile FolderWatcher watcher;

    ConnectorReloader(CamelContext camel, Connectors connectors, Function<ConnectorDefinition, String> source,
            Duration debounce) {
        this.camel = (ModelCamelContext) camel;
        this.connectors = connectors;
        this.source = source;
        this.debounce = debounce;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            start();
        }
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        start();
    }

    /** Starts watching the connectors folder (created when missing); later calls do nothing. */
    synchronized void start() {
        if (watcher != null) {
            return;
        }
        Path directory = connectors.files().directory();
        try {
            Files.createDirectories(directory);
            watcher = FolderWatcher.perFile("connectors", directory, name -> name.endsWith(".yaml") && !name.startsWith("."),
                    debounce, this::apply).start();
        } catch (IOException e) {
            throw new UncheckedIOException("connectors folder " + directory.toAbsolutePath()
                    + " cannot be created or watched; check millwright.mappings-dir and its permissions,"
                    + " or set millwright.connectors.reload-enabled=false", e);
        }
        // a file saved between the start-up read and the watch
        apply(FolderWatcher.WHOLE_FOLDER);
    }

    /** Brings one connector in line with its file on disk (or all of them for {@link FolderWatcher#WHOLE_FOLDER}). */
    synchronized void apply(String fileName) {
        Path directory = connectors.files().directory();
        if (FolderWatcher.WHOLE_FOLDER.equals(fileName)) {
            TreeSet<Path> all = new TreeSet<>(connectors.known());
            try {
                all.addAll(connectors.files().files());
            } catch (IOException e) {
                log.error("Connectors folder unreadable dir={} reason={}; running connectors unchanged", directory, e.toString());
                return;
            }
            all.forEach(file -> apply(file.getFileName().toString()));
            return;
        }
        Path file = directory.resolve(fileName);
        Optional<Connectors.Running> old = connectors.runningFrom(file);
        if (!Files.isRegularFile(file)) {
            if (connectors.knows(file)) {
                old.ifPresent(this::removeRoutes);
                connectors.forget(file);
                log.info("Connector file deleted file={} removedRoutes={}", file,
                        old.map(r -> List.of(r.definition().consumeRouteId(), r.definition().deliverRouteId())).orElse(List.of()));
            }
            return;
        }
        byte[] content;
        ConnectorDefinition definition;
        Connectors.Running next;
        try {
            content = Files.readAllBytes(file);
            if (connectors.isApplied(file, content)) {
                return;
            }
            definition = connectors.files().read(file);
            next = definition.enabled() ? connectors.prepare(definition) : null;
        } catch (InvalidConnectorFileException e) {
            reject(file, e.getMessage(), old);
            return;
        } catch (IOException e) {
            reject(file, "Connector file rejected file=" + file + " key=(file) reason=cannot be read: " + e.getMessage(), old);
            return;
        }
        old.ifPresent(this::removeRoutes);
        if (next != null) {
            try {
                camel.addRoutes(new ConnectorRoutes(List.of(next), source));
            } catch (Exception e) {
                removeRoutes(next);
                old.ifPresent(this::addRoutesBack);
                reject(file, "Connector file rejected file=" + file + " key=(routes) reason=its routes do not start: "
                        + e.getMessage(), old);
                return;
            }
        }
        connectors.applied(file, content, definition, next);
    }

    private void reject(Path file, String reason, Optional<Connectors.Running> old) {
        connectors.rejected(file, reason);
        log.warn("{}; {}", reason, old.map(r -> "the previous version keeps running").orElse("the connector is not running"));
    }

    private void addRoutesBack(Connectors.Running running) {
        try {
            camel.addRoutes(new ConnectorRoutes(List.of(running), source));
        } catch (Exception e) {
            log.error("Connector previous version could not be restored name={} reason={}; it is not running",
                    running.definition().name(), e.getMessage(), e);
        }
    }

    private void removeRoutes(Connectors.Running running) {
        for (String id : List.of(running.definition().consumeRouteId(), running.definition().deliverRouteId())) {
            try {
                RouteDefinition definition = camel.getRouteDefinition(id);
                if (definition != null) {
                    camel.removeRouteDefinition(definition); // stops and removes the route too
                } else if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            } catch (Exception e) {
                log.error("Connector route could not be removed route={} reason={}", id, e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        FolderWatcher w = watcher;
        if (w != null) {
            w.close();
        }
    }
}
