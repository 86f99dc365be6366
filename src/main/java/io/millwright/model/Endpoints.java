package io.millwright.model;

/**
 * The hub's internal Camel endpoints: the seams between capabilities, named once. A capability
 * sends to another only through these (or through the broker destinations of {@link EventType}).
 */
public final class Endpoints {

    private Endpoints() {}

    /**
     * Telemetry intake ({@code enrich}): a {@code List<SourceReading>} from a source adapter, one
     * {@link SourceReading}, or the JSON of one (a resubmitted dead letter).
     */
    public static final String TELEMETRY_INTAKE = "direct:telemetry-intake";

    /**
     * Production interpretation ({@code production}): a list of enriched signals in, the canonical
     * events they give out (states, counts); counts without an order are parked here.
     */
    public static final String PRODUCTION_INTERPRET = "direct:production-interpret";

    /** Event publishing ({@code mes}): a {@code List<EventEnvelope>}, one envelope, or their JSON. */
    public static final String EVENT_PUBLISH = "direct:mes-event-publish";

    /** Parking ({@code tracking}): a {@code List<Parked>}, each item stored as a dead letter with its reason. */
    public static final String PARK = "direct:tracking-park";

    /** The dead-letter store ({@code tracking}): what every error policy and every parked item goes to. */
    public static final String DEAD_LETTER = "direct:tracking-dead-letter";

    /**
     * Data gaps ({@code enrich}): a {@link DataGap} from a source adapter whose {@code assetPaths}
     * may be empty; with the header {@link MessageHeaders#NODE_IDS} the route fills them from the
     * asset registry, then publishes the {@code data-gap} event through {@link #EVENT_PUBLISH}.
     */
    public static final String DATA_GAP = "direct:data-gap";

    /**
     * Discovered nodes ({@code enrich}): a {@code List<DiscoveredNode>}, every variable a connection's
     * browse discovery has subscribed now, sent whenever that set changes.
     */
    public static final String NODES_DISCOVERED = "direct:nodes-discovered";
}
