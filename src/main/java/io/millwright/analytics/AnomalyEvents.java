package io.millwright.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The data of the events the anomaly side route publishes (schemas in {@code mappings/schemas/}). */
final class AnomalyEvents {

    private AnomalyEvents() {}

    /** Data of {@code io.millwright.anomaly.v1}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Anomaly(String tag, double value, double score, double mean, double std, double threshold, String machineState,
            String method, Instant anomalousSince) {}

    /** Data of {@code io.millwright.maintenance-request.v1}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MaintenanceRequest(String requestId, String status, String tag, Double value, Double score, Instant anomalousSince,
            String reason) {}
}
