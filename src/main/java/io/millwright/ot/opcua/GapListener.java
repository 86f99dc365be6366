package io.millwright.ot.opcua;

import java.time.Instant;
import java.util.List;

/** Told of each stretch without data of a connection: from the session's loss to its return. */
@FunctionalInterface
public interface GapListener {

    /** Ignores gaps (the session still reports them in its log, health and metrics). */
    GapListener NONE = (start, end, nodeIds, reason) -> {};

    /**
     * @param start when the session was lost
     * @param end when it was active again
     * @param nodeIds every node of the connection, as written in its file
     * @param reason a short human text
     */
    void onDataGap(Instant start, Instant end, List<String> nodeIds, String reason);
}
