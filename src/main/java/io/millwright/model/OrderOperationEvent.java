package io.millwright.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Data of {@code order-started} and {@code order-completed}: which order operation started or
 * completed on which work unit (the event's subject), when, and who said so.
 *
 * @param orderId production order
 * @param operation order operation
 * @param origin {@code dispatch} (the MES, {@code POST /api/dispatch} or queue {@code millwright.dispatch})
 * @param startTime when the operation started (or is to start) on the work unit
 * @param endTime when it completed; only on {@code order-completed}
 * @param dispatchId the MES's id of the dispatch, if it gave one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderOperationEvent(String orderId, String operation, String origin, Instant startTime, Instant endTime,
        String dispatchId) {

    public OrderOperationEvent {
        InvalidEventException.required("orderId", orderId);
        InvalidEventException.required("operation", operation);
        InvalidEventException.required("origin", origin);
    }
}
