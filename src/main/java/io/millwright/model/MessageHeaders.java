package io.millwright.model;

/** Names of the Camel headers and exchange properties that cross capabilities, named once. */
public final class MessageHeaders {

    private MessageHeaders() {}

    /** Header carrying the correlation id through every route (also in MDC and CloudEvents {@code correlationid}). */
    public static final String CORRELATION_ID = "MillwrightCorrelationId";

    /** Optional header with a dead letter's reason in words, set by a route that knows it better than the exception. */
    public static final String DEAD_LETTER_REASON = "MillwrightDeadLetterReason";

    /**
     * Optional exchange property: where a resubmitted dead letter must re-enter, when that is not
     * the failing route's own consumer (e.g. a flow whose sub-route failed).
     */
    public static final String RESUBMIT_ENDPOINT = "MillwrightResubmitEndpoint";

    /**
     * Optional exchange property, set with {@link #RESUBMIT_ENDPOINT}: the body a resubmit must send
     * there. A route reached over {@code direct:} shares its caller's unit of work, so Camel's
     * {@code useOriginalMessage} would give the caller's message, not what this route received.
     */
    public static final String RESUBMIT_BODY = "MillwrightResubmitBody";

    /**
     * Message property an edge hub that confirms its own counts to SAP ({@code millwright.erp.confirmed-by=this-hub})
     * puts on the production-count events it forwards, with the value {@link #CONFIRMED_BY_EDGE}: the central hub
     * publishes them but does not book them, so no count reaches SAP from both hubs. Crosses Artemis (the link's core
     * bridge) and arrives as a Camel header of that name.
     */
    public static final String CONFIRMED_BY = "MillwrightConfirmedBy";

    /** The value of {@link #CONFIRMED_BY} on the counts of an edge that posts them to SAP itself. */
    public static final String CONFIRMED_BY_EDGE = "edge";

    /** Header on a resubmitted dead letter: the id of the dead-letter entry it came from. */
    public static final String RESUBMITTED_FROM = "MillwrightResubmittedFrom";

    /** How a dead letter was settled elsewhere ({@code DISCARDED}, {@code RESUBMITTED}), for {@link Endpoints#DEAD_LETTER_CLOSE}. */
    public static final String DEAD_LETTER_OUTCOME = "MillwrightDeadLetterOutcome";

    /** Header on a {@link DataGap} sent to {@link Endpoints#DATA_GAP}: the affected node ids ({@code List<String>}) of its connection. */
    public static final String NODE_IDS = "MillwrightNodeIds";

    /**
     * Artemis message property on every event message that has an asset path ({@code ce_subject}):
     * how many levels the path has ({@code acme/springfield/assembly/line-1} has 4). With
     * {@link #ASSET_LEVEL_PREFIX} it lets a broker-side filter (a subscription's divert) match an
     * ISA-95 path with MQTT-style wildcards exactly.
     */
    public static final String ASSET_DEPTH = "mw_asset_depth";

    /** Prefix of the Artemis message properties {@code mw_asset_1 .. mw_asset_<depth>}: one per asset path level. */
    public static final String ASSET_LEVEL_PREFIX = "mw_asset_";

    /**
     * Prefix of the Artemis message properties {@code mw_data_<field>} on every durable event
     * message: one per top-level scalar field of the CloudEvent's {@code data} (string, number,
     * boolean), so a subscription's field filter ({@code {"data.state": "RUNNING"}}) runs in the
     * broker as a filter expression.
     */
    public static final String DATA_FIELD_PREFIX = "mw_data_";
}
