package io.millwright.enrich;

/** Base of the enrich capability's errors; carries the connection and node the value came from. */
public class EnrichException extends RuntimeException {

    private final String connection;
    private final String nodeId;

    public EnrichException(String message, String connection, String nodeId) {
        super(message);
        this.connection = connection;
        this.nodeId = nodeId;
    }

    public String connection() {
        return connection;
    }

    public String nodeId() {
        return nodeId;
    }
}
