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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one folder (not its sub-folders) for changes to the files a predicate selects, and runs
 * an action once they have been quiet for the debounce period: the pattern of the routes folder
 * ({@link RouteFolderWatcher}) for any capability that reloads files of its own (the asset registry
 * and its rule files in {@code mappings/}). Editors write a save as several events (truncate, write,
 * rename over); the action sees the files once, as they ended up. Runs on one daemon thread; an
 * action that throws is logged and the watching goes on.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    private final Path directory;
    private final Predicate<String> fileNames;
    private final Runnable onChange;
    private final Duration debounce;
    private final String name;
    private final ScheduledExecutorService applier;
    private final WatchService watchService;
    private final Thread thread;
    private ScheduledFuture<?> pending;

    /**
     * @param name      for the threads and log lines, e.g. {@code asset-registry}
     * @param fileNames which file names (without folder) count as a change
     * @param onChange  what to do after a burst of changes; runs on the watcher's own thread
     */
    public FolderWatcher(String name, Path directory, Predicate<String> fileNames, Duration debounce, Runnable onChange)
            throws IOException {
        this.name = name;
        this.directory = directory;
        this.fileNames = fileNames;
        this.onChange = onChange;
        this.debounce = debounce;
        this.watchService = directory.getFileSystem().newWatchService();
        directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        this.applier = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "millwright-" + name + "-reload"));
        this.thread = daemon(this::watch, "millwright-" + name + "-watcher");
    }

    public FolderWatcher start() {
        thread.start();
        log.info("Folder watched name={} dir={} debounce={}", name, directory, debounce);
        return this;
    }

    private void watch() {
        while (true) {
            WatchKey key;
            try {
                key = watchService.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean relevant = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                relevant |= event.kind() == OVERFLOW
                        || (event.context() instanceof Path changed && fileNames.test(changed.getFileName().toString()));
            }
            if (relevant) {
                schedule();
            }
            if (!key.reset()) {
                log.error("Folder no longer watched name={} dir={} reason=folder deleted or unreadable; "
                        + "what runs stays unchanged, restart the hub after restoring it", name, directory);
                return;
            }
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = applier.schedule(this::apply, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void apply() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            // the action reports its own failures; this is a bug, and the watcher must keep going
            log.error("Folder change could not be applied name={} dir={} reason={}", name, directory, e, e);
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("Watch service did not close cleanly name={} dir={}", name, directory, e);
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
