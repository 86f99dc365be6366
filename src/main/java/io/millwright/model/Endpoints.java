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

    /**
     * Booking what edges counted ({@code production}, on the central hub): the CloudEvents JSON of one
     * event or of a batch, as it arrived from an edge; each production-count event in it is booked into
     * this hub's ledger once per CloudEvents id, one that cannot be booked is parked with its reason
     * (and resubmitted here). Sent to by the central hub's edge ingress before it publishes the message.
     */
    public static final String CENTRAL_COUNT_BOOKING = "direct:central-count-booking";

    /**
     * Production ledger ({@code production}): a {@code List<String>} of production-count event ids the central
     * hub's broker acknowledged, sent by an edge's link ({@code millwright.erp.confirmed-by=central}); their ledger
     * rows are marked forwarded, and deleted after {@code millwright.production.forwarded-ledger-retention}.
     */
    public static final String LEDGER_FORWARDED = "direct:production-ledger-forwarded";

    /** Event publishing ({@code mes}): a {@code List<EventEnvelope>}, one envelope, or their JSON. */
    public static final String EVENT_PUBLISH = "direct:mes-event-publish";

    /** Parking ({@code tracking}): a {@code List<Parked>}, each item stored as a dead letter with its reason. */
    public static final String PARK = "direct:tracking-park";

    /** The dead-letter store ({@code tracking}): what every error policy and every parked item goes to. */
    public static final String DEAD_LETTER = "direct:tracking-dead-letter";

    /**
     * Closing dead letters ({@code tracking}): the body is a correlation id (e.g. an ERP document's
     * key); every PARKED dead letter with it becomes the status in header
     * {@link MessageHeaders#DEAD_LETTER_OUTCOME} ({@code DISCARDED} or {@code RESUBMITTED}), because
     * its owner settled it another way (the tracking API). The body afterwards: how many were closed.
     */
    public static final String DEAD_LETTER_CLOSE = "direct:tracking-dead-letter-close";

    /**
     * Data gaps ({@code enrich}): a {@link DataGap} from a source adapter whose {@code assetPaths}
     * may be empty; with the header {@link MessageHeaders#NODE_IDS} the route fills them from the
     * asset registry, then publishes the {@code data-gap} event through {@link #EVENT_PUBLISH}. An
     * adapter that builds the event itself sends the {@code EventEnvelope<DataGap>}, published as
     * given. Every data gap comes here, so it is published and then kept by each
     * {@link DataGapRecorder} once.
     */
    public static final String DATA_GAP = "direct:data-gap";

    /**
     * Order dispatch in ({@code dispatch}): the Artemis anycast queue {@code millwright.dispatch}
     * where an MES sends dispatches (JSON, schema {@code mappings/schemas/dispatch.v1.schema.json}).
     */
    public static final String DISPATCH_QUEUE = "jms:queue:millwright.dispatch";

    /**
     * Where a dispatch from {@link #DISPATCH_QUEUE} that cannot be applied goes, as it arrived, with
     * the reason in the message property {@code MillwrightDeadLetterReason}.
     */
    public static final String DISPATCH_DEAD_LETTER = "jms:queue:millwright.dispatch.dead-letter";

    /**
     * The data lake ({@code analytics}): one canonical event's CloudEvents JSON (bytes or text), as
     * it was on its Kafka topic; a dead-lettered lake row is resubmitted here.
     */
    public static final String ANALYTICS_LAKE = "direct:analytics-lake-append";

    /**
     * Edge stream filters ({@code edge}): a {@code List<SourceReading>} in; what passes the
     * configured deadband, minimum interval and report-by-exception filters goes on to
     * {@link #TELEMETRY_INTAKE}, and every reading feeds the windowed rollups.
     */
    public static final String EDGE_FILTER = "direct:edge-filter";

    /**
     * Discovered nodes ({@code enrich}): a {@code List<DiscoveredNode>}, every variable a connection's
     * browse discovery has subscribed now, sent whenever that set changes.
     */
    public static final String NODES_DISCOVERED = "direct:nodes-discovered";

    /**
     * Sends a Sparkplug B command to an edge node or device (NCMD/DCMD): body an
     * {@code io.millwright.ot.sparkplug.SparkplugCommand}; answers with what was sent. Audited as
     * {@code route:<the calling route's id>}. Present when {@code millwright.sparkplug.enabled=true}.
     */
    public static final String SPARKPLUG_COMMAND = "direct:sparkplug-command";

    /**
     * The live event feed ({@code mes} to live views such as the dashboard): after each publication,
     * the events that were published other than telemetry ({@code signal}, {@code signal-rollup}), as a
     * {@code List<EventEnvelope<?>>}. An in-memory queue that never holds the publisher back: when it
     * is full, or nobody listens, the batch is dropped (a live view catches up from its snapshot).
     * Several consumers each get every batch (e.g. the dashboard).
     */
    public static final String EVENT_FEED = "seda:mes-event-feed?size=1000&discardWhenFull=true&discardIfNoConsumers=true&multipleConsumers=true";
}
