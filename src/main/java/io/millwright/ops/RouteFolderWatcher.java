package io.millwright.ops;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the routes folder (not its sub-folders) and hands each changed file to the
 * {@link RouteFileLoader} once the file has been quiet for the debounce period. Editors write a
 * save as several events (truncate, write, rename over, change attributes); the loader then sees
 * the file once, as it ended up. All files are applied on one thread, in event order.
 */
final class RouteFolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteFolderWatcher.class);

    /** Pending key that stands for "re-read the whole folder" after the OS dropped events. */
    private static final String WHOLE_FOLDER = "";

    private final RouteFileLoader loader;
    private final Duration debounce;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService applier;
    private final WatchService watchService;
    private final Thread thread;

    RouteFolderWatcher(RouteFileLoader loader, Duration debounce) throws IOException {
        this.loader = loader;
        this.debounce = debounce;
        Path directory = loader.directory();
        this.watchService = directory.getFileSystem().newWatchService();
        directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        this.applier = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "millwright-route-files"));
        this.thread = daemon(this::watch, "millwright-route-watcher");
    }

    void start() {
        thread.start();
        log.info("Route folder watched dir={} debounce={}", loader.directory(), debounce);
    }

    private void watch() {
        while (true) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == OVERFLOW) {
                    schedule(WHOLE_FOLDER);
                } else if (event.context() instanceof Path changed) {
                    String name = changed.getFileName().toString();
                    if (RouteFileLoader.isRouteFile(name)) {
                        schedule(name);
                    } else if (name.endsWith(".yml")) {
                        log.warn("Route file ignored file={} reason=only *.yaml files are loaded; rename it to .yaml",
                                loader.directory().resolve(name));
                    }
                }
            }
            if (!key.reset()) {
                log.error("Route folder no longer watched dir={} reason=folder deleted or unreadable; "
                        + "running routes unchanged, restart the hub after restoring it", loader.directory());
                return;
            }
        }
    }

    private void schedule(String name) {
        pending.compute(name, (n, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return applier.schedule(() -> apply(n), debounce.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void apply(String name) {
        try {
            if (WHOLE_FOLDER.equals(name)) {
                loader.applyAll(false);
            } else {
                loader.apply(name, false);
            }
        } catch (RuntimeException e) {
            // The loader reports its own failures; this is a bug, and the watcher must keep going.
            log.error("Route file could not be applied file={} reason={}", loader.directory().resolve(name), e, e);
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("Route folder watch service did not close cleanly dir={}", loader.directory(), e);
        }
        applier.shutdownNow();
        thread.interrupt();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread t = new Thread(runnable, name);
        t.setDaemon(true);
        return t;
    }
}
