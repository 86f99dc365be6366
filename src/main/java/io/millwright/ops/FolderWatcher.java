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
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one mechanism for files an integrator edits while it runs: watches one folder (not its
 * sub-folders) for created, changed and deleted files that a predicate selects, and hands each file
 * to an action once it has been quiet for the debounce period. Editors write a save as several
 * events (truncate, write, rename over, change attributes); the action sees the file once, as it
 * ended up. Used by the routes folder ({@link RouteFiles}), the solution templates' route folders,
 * the asset registry, the JSONata signal mappings and the connector files.
 *
 * <p>Two ways to listen: per file ({@link #perFile}: the action gets the file name, or
 * {@link #WHOLE_FOLDER} after the operating system dropped events, meaning "re-read them all"), or
 * per folder ({@link #whole}: one action after any burst of changes). Actions run one at a time on
 * one daemon thread, in event order; an action that throws is logged and the watching goes on.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    /** The file name a per-file action gets when the watch lost events: re-read every file. */
    public static final String WHOLE_FOLDER = "";

    private final Path directory;
    private final Predicate<String> fileNames;
    private final Consumer<String> onChange;
    private final boolean perFile;
    private final Duration debounce;
    private final String name;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService applier;
    private final WatchService watchService;
    private final Thread thread;

    private FolderWatcher(String name, Path directory, Predicate<String> fileNames, Duration debounce,
            Consumer<String> onChange, boolean perFile) throws IOException {
        this.name = name;
        this.directory = directory;
        this.fileNames = fileNames;
        this.onChange = onChange;
        this.perFile = perFile;
        this.debounce = debounce;
        this.watchService = directory.getFileSystem().newWatchService();
        directory.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        this.applier = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "millwright-" + name + "-reload"));
        this.thread = daemon(this::watch, "millwright-" + name + "-watcher");
    }

    /**
     * One action per changed file.
     *
     * @param name      for the threads and log lines, e.g. {@code connectors}
     * @param fileNames which file names (without folder) count as a change
     * @param onChange  gets the file name (or {@link #WHOLE_FOLDER}); runs on the watcher's own thread
     */
    public static FolderWatcher perFile(String name, Path directory, Predicate<String> fileNames, Duration debounce,
            Consumer<String> onChange) throws IOException {
        return new FolderWatcher(name, directory, fileNames, debounce, onChange, true);
    }

    /** One action after any burst of changes to the selected files (e.g. re-read a registry of two files). */
    public static FolderWatcher whole(String name, Path directory, Predicate<String> fileNames, Duration debounce,
            Runnable onChange) throws IOException {
        return new FolderWatcher(name, directory, fileNames, debounce, file -> onChange.run(), false);
    }

    public FolderWatcher start() {
        thread.start();
        log.info("Folder watched name={} dir={} debounce={}", name, directory, debounce);
        return this;
    }

    public Path directory() {
        return directory;
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
                } else if (event.context() instanceof Path changed && fileNames.test(changed.getFileName().toString())) {
                    schedule(perFile ? changed.getFileName().toString() : WHOLE_FOLDER);
                }
            }
            if (!key.reset()) {
                log.error("Folder no longer watched name={} dir={} reason=folder deleted or unreadable; "
                        + "what runs stays unchanged, restart the hub after restoring it", name, directory);
                return;
            }
        }
    }

    private void schedule(String file) {
        pending.compute(file, (f, previous) -> {
            if (previous != null) {
                previous.cancel(false);
            }
            return applier.schedule(() -> apply(f), debounce.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void apply(String file) {
        try {
            onChange.accept(file);
        } catch (RuntimeException e) {
            // the action reports its own failures; this is a bug, and the watcher must keep going
            log.error("Folder change could not be applied name={} file={} reason={}", name, directory.resolve(file), e, e);
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
