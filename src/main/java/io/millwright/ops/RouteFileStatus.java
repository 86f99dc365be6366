package io.millwright.ops;

import java.time.Instant;
import java.util.List;

/**
 * What the hub did with one file in the routes folder, for operators.
 *
 * @param file         the file as the hub sees it, e.g. {@code routes/ot-line2-opcua-ingest.camel.yaml}
 * @param routeIds     routes running from this file (its last valid version); empty if none
 * @param lastLoaded   when the running version was loaded; null if no version was ever loaded
 * @param lastError    why the latest save was rejected (file, line, column, reason); null when the
 *                     latest save is the one running
 * @param lastRejected when the latest save was rejected; null when the latest save is running
 */
public record RouteFileStatus(
        String file, List<String> routeIds, Instant lastLoaded, String lastError, Instant lastRejected) {

    public RouteFileStatus {
        routeIds = List.copyOf(routeIds);
    }

    /** True when the file on disk is not what runs: its latest save was rejected. */
    public boolean isRejected() {
        return lastError != null;
    }
}
