package io.millwright.model;

/**
 * A variable a source adapter found by browsing and subscribed, with where it sits in the
 * server's address space, so asset rules can map it by its browse path.
 *
 * @param connection the connection id
 * @param nodeId     the node id exactly as the readings of it carry it
 * @param browsePath browse names from the browse root down, joined by '/', e.g. {@code Plant1/Line1/M1/GoodCount}
 */
public record DiscoveredNode(String connection, String nodeId, String browsePath) {

    public DiscoveredNode {
        InvalidEventException.required("connection", connection);
        InvalidEventException.required("nodeId", nodeId);
    }
}
