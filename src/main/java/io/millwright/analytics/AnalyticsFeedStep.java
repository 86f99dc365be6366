package io.millwright.analytics;

import io.millwright.model.EventType;
import java.util.Set;

/**
 * An analytics side route that the {@link AnalyticsFeedRoute} feeds: the {@code direct:} endpoint that
 * takes an {@link AnalyticsPoll}, and the event types it wants (the feed reads the union of their topics).
 */
interface AnalyticsFeedStep {

    /** The step's {@code direct:} endpoint; its body is an {@link AnalyticsPoll}. */
    String pollEndpoint();

    /** The canonical event types it reads; the others in a poll it skips. */
    Set<EventType> eventTypes();
}
