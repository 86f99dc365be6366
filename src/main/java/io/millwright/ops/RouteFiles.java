package io.millwright.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrator's flows in the routes folder ({@code millwright.routes-dir}): loads every
 * {@code *.yaml} file once Camel has started, then, when {@code millwright.routes.reload-enabled},
 * applies each saved, created or deleted file after validating it. A rejected file is logged
 * with file, line, column and reason, and what ran before keeps running. Read-only status for
 * operators comes from {@link #statuses()}.
 *
 * <p>Register it as a Camel {@link StartupListener} ({@link RouteFilesConfiguration} does): it
 * starts when the Camel context has fully started, or at once if the context already runs.
 * Closing it stops the watcher and leaves the loaded routes to the Camel context.
 */
public class RouteFiles implements StartupListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteFiles.class);

    private final RouteFilesProperties properties;
    private final RouteFileLoader loader;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile FolderWatcher watcher;

    public RouteFiles(CamelContext camelContext, Path directory, RouteFilesProperties properties) {
        this.properties = properties;
        this.loader = new RouteFileLoader(camelContext, directory, Clock.systemUTC(),
                new ComponentAllowList(properties.allowedComponents()));
    }

    /** The routes folder, as configured (relative to the working directory unless absolute). */
    public Path directory() {
        return loader.directory();
    }

    /** One status per file seen in the routes folder, in file name order. */
    public List<RouteFileStatus> statuses() {
        return loader.statuses();
    }

    /** The status of one file, by its name in the routes folder (e.g. {@code ops-heartbeat.camel.yaml}). */
    public Optional<RouteFileStatus> status(String fileName) {
        String file = directory().resolve(fileName).toString();
        return statuses().stream().filter(s -> s.file().equals(file)).findFirst();
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

    /** Loads the folder and starts watching it; runs once, later calls do nothing. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Path directory = directory();
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                log.info("Route folder created dir={}", directory.toAbsolutePath());
            }
            // Watch before the first load, so a file saved while loading is not missed.
            if (properties.reloadEnabled()) {
                watcher = FolderWatcher.perFile("routes:" + directory, directory, RouteFiles::isWatched,
                        properties.reloadDebounce(), this::apply).start();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("routes folder " + directory.toAbsolutePath()
                    + " cannot be created or watched; check millwright.routes-dir and its permissions", e);
        }
        loader.applyAll(true);
        List<RouteFileStatus> statuses = statuses();
        log.info("Route files loaded dir={} files={} routes={} rejected={} reloadEnabled={}", directory,
                statuses.size(), statuses.stream().mapToInt(s -> s.routeIds().size()).sum(),
                statuses.stream().filter(RouteFileStatus::isRejected).count(), properties.reloadEnabled());
    }

    /** A file the folder watcher hands over; a {@code .yml} file is named in a warning, not loaded. */
    private static boolean isWatched(String name) {
        if (!RouteFileLoader.isRouteFile(name) && name.endsWith(".yml")) {
            log.warn("Route file ignored file={} reason=only *.yaml files are loaded; rename it to .yaml", name);
        }
        return RouteFileLoader.isRouteFile(name);
    }

    private void apply(String name) {
        if (FolderWatcher.WHOLE_FOLDER.equals(name)) {
            loader.applyAll(false);
        } else {
            loader.apply(name, false);
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
