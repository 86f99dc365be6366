package io.millwright.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/maturity}: {@code {"dimensions": [{"name", "score", "evidence", "nextStep"}]}}, the
 * five dimensions of the reference model scored 0-5 from live state ({@link MaturityAssessment}).
 * Viewer role and above.
 */
@RestController
class MaturityController {

    private final HubStatus hub;
    private final PlantView plant;
    private final LiveFeed feed;

    MaturityController(HubStatus hub, PlantView plant, LiveFeed feed) {
        this.hub = hub;
        this.plant = plant;
        this.feed = feed;
    }

    @GetMapping("/api/maturity")
    Map<String, Object> maturity() {
        Map<String, String> components = new LinkedHashMap<>();
        hub.components().forEach(component -> components.put(component.name(), component.status()));
        HubStatus.ErpBacklog erp = hub.erpBacklog();
        int confirmed = (int) erp.lastConfirmations().stream().filter(c -> c.get("erpDocument") != null).count();
        MaturityAssessment.Evidence evidence = new MaturityAssessment.Evidence(hub.connections(), components,
                hub.routes().get("started"), plant.eventCounts(), confirmed, erp.pending(), erp.parked(),
                feed.connectionsSinceStart(), feed.connectedClients());
        List<MaturityAssessment.Dimension> dimensions = MaturityAssessment.assess(evidence);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("maxScore", MaturityAssessment.MAX_SCORE);
        body.put("dimensions", dimensions);
        return body;
    }
}
