package io.millwright.tracking;

import java.time.Instant;

/**
 * One message that could not be processed: where it failed, why, and the message as it arrived
 * at the failing route, so that it can be resubmitted there.
 */
public record DeadLetter(
        long id,
        String routeId,
        String endpointUri,
        String reason,
        String exceptionClass,
        String correlationId,
        String payload,
        String headers,
        Status status,
        Instant createdAt,
        Instant resubmittedAt) {

    /** PARKED waits for a person; RESUBMITTED was sent back to its route; DISCARDED a person decided not to process it. */
    public enum Status {
        PARKED,
        RESUBMITTED,
        DISCARDED
    }
}
