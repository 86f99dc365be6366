package io.millwright.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.millwright.enrich.AssetPosition;
import java.time.Instant;

/**
 * One machine as live clients see it ({@code GET /api/assets/states}, the {@code asset-state} events
 * of the streams): its state since when, the order operation it runs, the parts counted since the
 * hub started, its open alerts and where it stands.
 *
 * @param path ISA-95 asset path, the events' {@code subject}
 * @param line the line's path (the asset path without its last part)
 * @param name the last part of the path
 * @param state RUNNING, IDLE, DOWN, SETUP, or null before the hub saw one
 * @param since when the machine entered that state (source time)
 * @param goodCount good parts counted since the hub started
 * @param scrapCount scrap parts counted since the hub started
 * @param openAlerts alerts and maintenance requests open for the machine
 * @param position where it stands (metres, the plant's frame), null when the registry gives none
 * @param updatedAt when the hub last changed this record
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AssetState(String path, String line, String name, String state, Instant since, String orderId,
        String operation, long goodCount, long scrapCount, int openAlerts, AssetPosition position, Instant updatedAt) {}
