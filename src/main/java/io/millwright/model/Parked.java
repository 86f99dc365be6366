package io.millwright.model;

/**
 * One item a flow could not process and parks in the dead-letter store without failing the rest
 * of its batch: a reading of an unknown node, a count without an order. Flows send a
 * {@code List<Parked>} to {@link Endpoints#PARK}.
 *
 * @param routeId          the route that parked it
 * @param resubmitEndpoint where a resubmit sends {@code payload} again
 * @param reason           what is wrong and what to do, in words
 * @param exceptionClass   the exception that said so, or null
 * @param correlationId    the correlation id of the reading, or null
 * @param payload          the item as it arrived at that route; stored as JSON
 */
public record Parked(
        String routeId, String resubmitEndpoint, String reason, String exceptionClass, String correlationId, Object payload) {

    public Parked {
        InvalidEventException.required("routeId", routeId);
        InvalidEventException.required("resubmitEndpoint", resubmitEndpoint);
        InvalidEventException.required("reason", reason);
    }

    /** Parks {@code payload} for the reason an exception gives. */
    public static Parked of(String routeId, String resubmitEndpoint, RuntimeException cause, String correlationId, Object payload) {
        return new Parked(routeId, resubmitEndpoint, cause.getMessage(), cause.getClass().getName(), correlationId, payload);
    }
}
