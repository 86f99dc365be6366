package io.millwright.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the files of the routes folder to the running Camel context, one file at a time, and
 * remembers which route ids each file owns.
 *
 * <p>A created or changed file is validated first ({@link RouteFileValidator}); only a valid file
 * has its previous routes removed and its new routes added. If adding fails anyway (an expression
 * that does not compile, an endpoint that cannot start), the new routes are removed and the
 * file's previous version is added back. A deleted file's routes are removed. Routes the loader
 * did not load from a file (Java routes, other files' routes) are never touched.
 */
final class RouteFileLoader {

    private static final Logger log = LoggerFactory.getLogger(RouteFileLoader.class);

    /** Template parameter the Kamelet component sets on the routes it creates for a route. */
    private static final String PARENT_ROUTE_ID = "parentRouteId";

    private final ModelCamelContext camelContext;
    private final RouteFileValidator validator;
    private final Path directory;
    private final Clock clock;
    private final Map<String, FileEntry> entries = new ConcurrentHashMap<>();
    /** The loaders of the hub's other route folders, to name the file that owns a clashing route id. */
    private volatile List<RouteFileLoader> neighbours = List.of();

    RouteFileLoader(CamelContext camelContext, Path directory, Clock clock) {
        this(camelContext, directory, clock, new ComponentAllowList(ComponentAllowList.DEFAULT));
    }

    RouteFileLoader(CamelContext camelContext, Path directory, Clock clock, ComponentAllowList allowList) {
        this.camelContext = (ModelCamelContext) camelContext;
        this.validator = new RouteFileValidator(camelContext, allowList);
        this.directory = directory;
        this.clock = clock;
    }

    Path directory() {
        return directory;
    }

    /** The loaders of the other route folders ({@code millwright.routes.additional-dirs}). */
    void neighbours(List<RouteFileLoader> others) {
        this.neighbours = List.copyOf(others);
    }

    /** True for the files the loader applies: {@code *.yaml}, not hidden, not an editor backup. */
    static boolean isRouteFile(String name) {
        return name.endsWith(".yaml") && !name.startsWith(".") && name.length() > ".yaml".length();
    }

    /** Applies every route file in the folder, in name order, and forgets files that are gone. */
    synchronized void applyAll(boolean startup) {
        Set<String> names = new TreeSet<>(entries.keySet());
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(RouteFileLoader::isRouteFile).forEach(names::add);
        } catch (IOException e) {
            log.error("Route folder unreadable dir={} reason={}; running routes unchanged", directory, e.toString());
            return;
        }
        for (String name : names) {
            apply(name, startup);
        }
    }

    /**
     * Brings the routes of one file in line with the file on disk: load, replace, or remove. Never
     * throws; a rejected file is logged once and recorded in its status.
     */
    synchronized void apply(String name, boolean startup) {
        Path path = directory.resolve(name);
        String shown = path.toString();
        FileEntry current = entries.get(name);
        if (!Files.isRegularFile(path)) {
            if (current != null) {
                removeFile(name, shown, current);
            }
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            reject(name, current, null, new RouteFileRejectedException(shown, 0, 0,
                    "cannot read file: " + e, e), startup);
            return;
        }
        // Editors save in several events, and a save may put back what runs: same bytes, no swap.
        if (current != null && !current.routeIds().isEmpty() && Arrays.equals(content, current.content())) {
            if (current.lastError() != null) {
                entries.put(name, new FileEntry(current.routeIds(), current.content(), current.lastLoaded(), null, null,
                        null));
                log.info("Route file back to its running version file={} routes={}", shown, current.routeIds());
            }
            return;
        }
        if (current != null && Arrays.equals(content, current.rejectedContent())) {
            return;
        }
        long started = System.nanoTime();
        List<String> ids;
        try {
            ids = validator.validate(shown, content, foreignRouteIds(name));
        } catch (RouteFileRejectedException e) {
            reject(name, current, content, e, startup);
            return;
        }
        List<String> previous = current == null ? List.of() : current.routeIds();
        try {
            removeRoutes(previous);
            addRoutes(shown, content, ids);
        } catch (Exception e) {
            RouteFileRejectedException rejected = new RouteFileRejectedException(shown, 0, 0,
                    RouteFileValidator.startFailure(e), e);
            restore(name, shown, current, ids);
            reject(name, entries.get(name), content, rejected, startup);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        entries.put(name, new FileEntry(ids, content, clock.instant(), null, null, null));
        if (ids.size() == 1 && !name.startsWith(ids.get(0) + ".")) {
            log.warn("Route file name does not match its route id file={} routeId={}; name it {}.camel.yaml",
                    shown, ids.get(0), ids.get(0));
        }
        log.info("Route file loaded file={} routes={} replaced={} elapsedMs={}", shown, ids, previous, millis);
    }

    /** Status of every file seen, in file name order. */
    List<RouteFileStatus> statuses() {
        return entries.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> e.getValue().status(directory.resolve(e.getKey()).toString()))
                .toList();
    }

    private void removeFile(String name, String shown, FileEntry current) {
        try {
            removeRoutes(current.routeIds());
            entries.remove(name);
            log.info("Route file deleted file={} removedRoutes={}", shown, current.routeIds());
        } catch (Exception e) {
            log.error("Route file deleted but its routes could not be removed file={} routes={} reason={}",
                    shown, current.routeIds(), RouteFileValidator.rootMessage(e), e);
        }
    }

    private void addRoutes(String shown, byte[] content, List<String> ids) throws Exception {
        camelContext.addRoutes(RouteFileValidator.parse(camelContext, shown, content));
        for (String id : ids) {
            if (camelContext.getRoute(id) == null) {
                throw new IllegalStateException("route '" + id + "' was not created");
            }
        }
    }

    /** After a failed add: remove what the new version left behind and put the old version back. */
    private void restore(String name, String shown, FileEntry current, List<String> newIds) {
        try {
            removeRoutes(newIds);
        } catch (Exception e) {
            log.error("Route file cleanup failed file={} routes={} reason={}", shown, newIds,
                    RouteFileValidator.rootMessage(e), e);
        }
        if (current == null || current.routeIds().isEmpty()) {
            return;
        }
        try {
            addRoutes(shown, current.content(), current.routeIds());
        } catch (Exception e) {
            // The version that ran until a moment ago no longer starts: nothing of this file runs now.
            log.error("Route file previous version could not be restored file={} routes={} reason={}; "
                    + "these routes are not running", shown, current.routeIds(), RouteFileValidator.rootMessage(e), e);
            entries.put(name, new FileEntry(List.of(), current.content(), current.lastLoaded(), null, null, null));
        }
    }

    private void reject(String name, FileEntry current, byte[] content, RouteFileRejectedException e, boolean startup) {
        List<String> running = current == null ? List.of() : current.routeIds();
        entries.put(name, new FileEntry(running, current == null ? null : current.content(),
                current == null ? null : current.lastLoaded(), e.getMessage(), clock.instant(), content));
        log.debug("Route file rejection cause file={}", e.file(), e);
        if (startup) {
            log.error("Route file rejected file={}{} reason={}; its routes are not running",
                    e.file(), e.position(), e.reason());
        } else {
            log.warn("Route file rejected file={}{} reason={}; running routes unchanged{}",
                    e.file(), e.position(), e.reason(), running.isEmpty() ? "" : " (still running " + running + ")");
        }
    }

    /** Route ids in the context that the given file does not own, each with a description of its owner. */
    private Map<String, String> foreignRouteIds(String name) {
        Set<String> own = new LinkedHashSet<>();
        FileEntry entry = entries.get(name);
        if (entry != null) {
            own.addAll(withKameletChildren(entry.routeIds()));
        }
        Map<String, String> owners = new HashMap<>();
        entries.forEach((other, e) -> {
            if (!other.equals(name)) {
                withKameletChildren(e.routeIds()).forEach(id -> owners.put(id, directory.resolve(other).toString()));
            }
        });
        for (RouteFileLoader neighbour : neighbours) {
            neighbour.entries.forEach((other, e) ->
                    e.routeIds().forEach(id -> owners.putIfAbsent(id, neighbour.directory.resolve(other).toString())));
        }
        Map<String, String> foreign = new HashMap<>();
        List<String> ids = new ArrayList<>();
        camelContext.getRoutes().stream().map(Route::getRouteId).forEach(ids::add);
        camelContext.getRouteDefinitions().stream().map(RouteDefinition::getId).forEach(ids::add);
        for (String id : ids) {
            if (id != null && !own.contains(id)) {
                foreign.put(id, owners.getOrDefault(id, "a route of the hub not loaded from the routes folder"));
            }
        }
        return foreign;
    }

    /** The given routes plus the routes Kamelets created for them, children first. */
    private List<String> withKameletChildren(List<String> ids) {
        List<String> all = new ArrayList<>();
        for (String id : ids) {
            for (RouteDefinition def : camelContext.getRouteDefinitions()) {
                Map<String, Object> parameters = def.getTemplateParameters();
                if (parameters != null && id.equals(parameters.get(PARENT_ROUTE_ID)) && def.getId() != null
                        && !ids.contains(def.getId())) {
                    all.addAll(withKameletChildren(List.of(def.getId())));
                }
            }
            all.add(id);
        }
        return all;
    }

    private void removeRoutes(List<String> ids) throws Exception {
        for (String id : withKameletChildren(ids)) {
            RouteDefinition definition = camelContext.getRouteDefinition(id);
            if (definition != null) {
                camelContext.removeRouteDefinition(definition); // stops and removes the route too
            } else if (camelContext.getRoute(id) != null) {
                camelContext.getRouteController().stopRoute(id);
                camelContext.removeRoute(id);
            }
        }
    }

    /**
     * What the loader knows of one file.
     *
     * @param routeIds        routes running from the file
     * @param content         the bytes those routes were loaded from; null if none ever loaded
     * @param rejectedContent the bytes of the latest rejected save; null when the latest save runs
     */
    private record FileEntry(
            List<String> routeIds, byte[] content, Instant lastLoaded, String lastError, Instant lastRejected,
            byte[] rejectedContent) {

        RouteFileStatus status(String file) {
            return new RouteFileStatus(file, routeIds, lastLoaded, lastError, lastRejected);
        }
    }
}
