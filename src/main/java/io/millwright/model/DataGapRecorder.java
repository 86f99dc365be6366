package io.millwright.model;

/**
 * Keeps a data gap the hub has published, for what counts gaps over time (the predictability KPIs
 * of {@code GET /api/outcomes}). Called by {@code enrich} once per {@code data-gap} event, after it
 * went out on the backbone; implemented by {@code principles}. The backbone event is the record of
 * the gap: an implementation reports its own failures (log) and never throws back into the flow,
 * so a KPI that could not be kept never re-publishes the gap.
 */
public interface DataGapRecorder {

    /**
     * @param eventId the published event's CloudEvents {@code id} (a gap seen twice is kept once)
     * @param gap     the gap as published
     */
    void record(String eventId, DataGap gap);
}
