package io.millwright.edge.link;

/** Names of the store-and-forward link's broker parts, on the edge and on the central hub. */
public final class EdgeLink {

    private EdgeLink() {}

    /**
     * The edge's buffer: a durable anycast queue on the edge's embedded Artemis. Every canonical
     * event the edge publishes on {@code millwright.events.<type>} is copied here (one divert per
     * event type), made persistent and stamped with its duplicate id.
     */
    public static final String OUTBOX = "millwright.edge.outbox";

    /** Where edge events arrive on the central hub's Artemis: a durable anycast queue of this name. */
    public static final String INGRESS = "millwright.edge.ingress";

    /** The core bridge that forwards {@link #OUTBOX} to the central hub's {@link #INGRESS}. */
    public static final String BRIDGE = "millwright-edge-link";

    /** The connector (the central hub's acceptor) the bridge uses. */
    static final String CENTRAL_CONNECTOR = "millwright-central";

    /** Role of the edge hubs' user on the central hub's Artemis. */
    public static final String EDGE_ROLE = "edge";
}
