package io.millwright.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's data: {@code GET /api/dashboard} (everything at once: machines, open alerts,
 * health, ERP backlog and the last confirmations with their SAP numbers, live clients) and {@code
 * GET /api/dashboard/events}, the live stream: first a {@code snapshot} event (machines and open
 * alerts), then every live canonical event as CloudEvents JSON named by its type ({@code
 * machine-state}, {@code production-count}, {@code alert}, ...), {@code resync} when the client fell
 * behind. Viewer role and above.
 */
@RestController
class DashboardController {

    private final PlantView plant;
    private final LiveFeed feed;
    private final HubStatus hub;
    private final DashboardProperties properties;

    DashboardController(PlantView plant, LiveFeed feed, HubStatus hub, DashboardProperties properties) {
        this.plant = plant;
        this.feed = feed;
        this.hub = hub;
        this.properties = properties;
    }

    @GetMapping("/api/dashboard")
    Map<String, Object> dashboard() {
        Map<String, Object> body = plantSnapshot();
        body.put("components", hub.components());
        body.put("connections", hub.connections());
        body.put("erp", hub.erpBacklog());
        body.put("routes", hub.routes());
        body.put("liveClients", feed.connectedClients());
        return body;
    }

    @GetMapping(path = "/api/dashboard/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        synchronized (plant) {
            return SseEmitterSink.open(feed, LiveFeed.Stream.DASHBOARD,
                    new LiveFeed.Outgoing("snapshot", null, plantSnapshot()), properties.streamTimeout().toMillis());
        }
    }

    private Map<String, Object> plantSnapshot() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generatedAt", Instant.now());
        body.put("machines", plant.assets());
        body.put("alerts", plant.openAlerts());
        body.put("lastEventAt", plant.lastEventAt());
        return body;
    }
}
