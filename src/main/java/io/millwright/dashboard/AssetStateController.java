package io.millwright.dashboard;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The asset feed for mixed-reality and floor-plan clients (docs/dashboard.md): {@code GET
 * /api/assets/states} lists every machine's {@link AssetState} with its position from the asset
 * registry; {@code GET /api/assets/states/stream} sends the same list as a {@code snapshot} event, then
 * one {@code asset-state} event per change. Viewer role and above.
 */
@RestController
class AssetStateController {

    private final PlantView plant;
    private final LiveFeed feed;
    private final DashboardProperties properties;

    AssetStateController(PlantView plant, LiveFeed feed, DashboardProperties properties) {
        this.plant = plant;
        this.feed = feed;
        this.properties = properties;
    }

    @GetMapping("/api/assets/states")
    Map<String, Object> states() {
        return snapshot(plant.assets());
    }

    @GetMapping(path = "/api/assets/states/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() {
        synchronized (plant) {
            return SseEmitterSink.open(feed, LiveFeed.Stream.ASSETS, new LiveFeed.Outgoing("snapshot", null, snapshot(plant.assets())),
                    properties.streamTimeout().toMillis());
        }
    }

    private static Map<String, Object> snapshot(List<AssetState> assets) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("generatedAt", Instant.now());
        body.put("assets", assets);
        return body;
    }
}
