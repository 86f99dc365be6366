package io.millwright.connectors;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/connectors}: every connector file with its state and counts (viewer and above). */
@RestController
@ConditionalOnProperty(name = "millwright.connectors.enabled", havingValue = "true", matchIfMissing = true)
class ConnectorController {

    private final Connectors connectors;

    ConnectorController(Connectors connectors) {
        this.connectors = connectors;
    }

    @GetMapping("/api/connectors")
    Map<String, List<Map<String, Object>>> list() {
        return Map.of("connectors", connectors.describe());
    }
}
