package io.millwright.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrator's flows in the routes folder ({@code millwright.routes-dir}), and the flows of
 * further folders ({@code millwright.routes.additional-dirs}: the route folders of the solution
 * templates switched on, {@code config/solutions/<name>/routes/}): loads every {@code *.yaml} file
 * once Camel has started, then, when {@code millwright.routes.reload-enabled}, applies each saved,
 * created or deleted file after validating it. Every folder obeys the same checks (the component
 * allow-list, unique route ids across all folders and the hub's own routes). A rejected file is
 * logged with file, line, column and reason, and what ran before keeps running. Read-only status
 * for operators comes from {@link #statuses()}.
 *
 * <p>Register it as a Camel {@link StartupListener} ({@link RouteFilesConfiguration} does): it
 * starts when the Camel context has fully started, or at once if the context already runs.
 * Closing it stops the watchers and leaves the loaded routes to the Camel context.
 */
public class RouteFiles implements StartupListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteFiles.class);

    private final RouteFilesProperties properties;
    private final RouteFileLoader loader;
    private final List<RouteFileLoader> additional = new ArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final List<FolderWatcher> watchers = new CopyOnWriteArrayList<>();

    public RouteFiles(CamelContext camelContext, Path directory, RouteFilesProperties properties) {
        this.properties = properties;
        ComponentAllowList allowList = new ComponentAllowList(properties.allowedComponents());
        this.loader = new RouteFileLoader(camelContext, directory, Clock.systemUTC(), allowList);
        for (Path extra : properties.additionalDirs()) {
            additional.add(new RouteFileLoader(camelContext, extra, Clock.systemUTC(), allowList));
        }
        // a route id clashing with another folder's file is rejected naming that file
        List<RouteFileLoader> all = new ArrayList<>(additional);
        all.add(0, loader);
        for (RouteFileLoader folder : all) {
            folder.neighbours(all.stream().filter(other -> other != folder).toList());
        }
    }

    /** The routes folder, as configured (relative to the working directory unless absolute). */
    public Path directory() {
        return loader.directory();
    }

    /** The further folders ({@code millwright.routes.additional-dirs}), as configured. */
    public List<Path> additionalDirectories() {
        return additional.stream().map(RouteFileLoader::directory).toList();
    }

    /** One status per file seen in the routes folder, then in each further folder, in file name order. */
    public List<RouteFileStatus> statuses() {
        List<RouteFileStatus> all = new ArrayList<>(loader.statuses());
        additional.forEach(l -> all.addAll(l.statuses()));
        return all;
    }

    /** The statuses of the files of one folder (the routes folder or a further one). */
    public List<RouteFileStatus> statuses(Path directory) {
        if (directory.equals(loader.directory())) {
            return loader.statuses();
        }
        return additional.stream().filter(l -> l.directory().equals(directory)).findFirst()
                .map(RouteFileLoader::statuses).orElse(List.of());
    }

    /** The status of one file, by its name in the routes folder (e.g. {@code ops-heartbeat.camel.yaml}). */
    public Optional<RouteFileStatus> status(String fileName) {
        String file = directory().resolve(fileName).toString();
        return loader.statuses().stream().filter(s -> s.file().equals(file)).findFirst();
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

    /** Loads the folders and starts watching them; runs once, later calls do nothing. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        start(loader, true);
        additional.forEach(l -> start(l, false));
    }

    private void start(RouteFileLoader folder, boolean create) {
        Path directory = folder.directory();
        try {
            if (!Files.isDirectory(directory)) {
                if (!create) {
                    log.error("Route folder missing dir={}; its flows do not run (check millwright.routes.additional-dirs)",
                            directory.toAbsolutePath());
                    return;
                }
                Files.createDirectories(directory);
                log.info("Route folder created dir={}", directory.toAbsolutePath());
            }
            // Watch before the first load, so a file saved while loading is not missed.
            if (properties.reloadEnabled()) {
                watchers.add(FolderWatcher.perFile("routes:" + directory, directory, RouteFiles::isWatched,
                        properties.reloadDebounce(), name -> apply(folder, name)).start());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("routes folder " + directory.toAbsolutePath()
                    + " cannot be created or watched; check millwright.routes-dir and its permissions", e);
        }
        folder.applyAll(true);
        List<RouteFileStatus> statuses = folder.statuses();
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

    private static void apply(RouteFileLoader folder, String name) {
        if (FolderWatcher.WHOLE_FOLDER.equals(name)) {
            folder.applyAll(false);
        } else {
            folder.apply(name, false);
        }
    }

    @Override
    public void close() {
        watchers.forEach(FolderWatcher::close);
        watchers.clear();
    }
}
