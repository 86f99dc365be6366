package io.millwright.model;

/**
 * The canonical event types. The topic on Kafka and the multicast address on Artemis are both
 * {@code millwright.events.<name>}; the CloudEvents type carries the contract's major version.
 */
public enum EventType {
    /** Every value: telemetry, superseded by the next value a moment later; sent non-durable. */
    SIGNAL("signal", 1, false),
    /** A machine changed state: a business fact an MES books; durable. */
    MACHINE_STATE("machine-state", 1, true),
    /** Parts counted for an order operation: a quantity; durable. */
    PRODUCTION_COUNT("production-count", 1, true),
    /** A confirmation posted to the ERP: a quantity in the books; durable. */
    PRODUCTION_CONFIRMATION("production-confirmation", 1, true),
    /** A connection delivered no data from start to end (session lost, server down): a fact for the books; durable. */
    DATA_GAP("data-gap", 1, true),
    /** An order operation started on a work unit (MES dispatch or order context change); durable. */
    ORDER_STARTED("order-started", 1, true),
    /** An order operation completed on a work unit; durable. */
    ORDER_COMPLETED("order-completed", 1, true),
    /** Min, max, average, count and last of one tag's values over a window (edge rollups); telemetry, non-durable. */
    SIGNAL_ROLLUP("signal-rollup", 1, false),
    /** A measurement far above its machine's usual level (analytics, EWMA z-score); sent non-durable. */
    ANOMALY("anomaly", 1, false),
    /** A machine needs maintenance (opened by a sustained anomaly) or no longer does (cleared); durable. */
    MAINTENANCE_REQUEST("maintenance-request", 1, true),
    /** An alert rule raised or cleared an alert (alerting, analytics-bridge/alert-rules.yaml); durable. */
    ALERT("alert", 1, true),
    /** Parts scrapped with a reason code (a scrap counter with the asset's scrap-reason tag); durable. */
    QUALITY("quality", 1, true),
    /** A measurement crossed a limit of the asset registry (raised) or came back (cleared); durable. */
    ALARM("alarm", 1, true),
    /** A shift's KPIs (availability, performance, quality, OEE) for an asset, at each shift end (analytics); durable. */
    KPI("kpi", 1, true);

    private final String eventName;
    private final int majorVersion;
    private final boolean durable;
    // made once: every event asks for them, tens of thousands of times a second
    private final String cloudEventType;
    private final String destination;
    private final String dataSchema;

    private static final java.util.Map<String, EventType> BY_CLOUD_EVENT_TYPE = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(EventType::cloudEventType, type -> type));

    EventType(String eventName, int majorVersion, boolean durable) {
        this.eventName = eventName;
        this.majorVersion = majorVersion;
        this.durable = durable;
        this.cloudEventType = "io.millwright." + eventName + ".v" + majorVersion;
        this.destination = "millwright.events." + eventName;
        this.dataSchema = "https://millwright.io/schemas/" + eventName + ".v" + majorVersion + ".schema.json";
    }

    /**
     * Whether the broker must keep the event on disk for a durable subscriber that is away (Artemis
     * persistent delivery). Kafka keeps every event in its log either way. See docs/backbone.md.
     */
    public boolean isDurable() {
        return durable;
    }

    /** Short name, e.g. {@code machine-state}. */
    public String eventName() {
        return eventName;
    }

    /** CloudEvents type, e.g. {@code io.millwright.machine-state.v1}. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** Kafka topic and Artemis address, e.g. {@code millwright.events.machine-state}. */
    public String destination() {
        return destination;
    }

    /** The event type a CloudEvents {@code type} names, e.g. {@code io.millwright.machine-state.v1}. */
    public static EventType ofCloudEventType(String cloudEventType) {
        EventType type = cloudEventType == null ? null : BY_CLOUD_EVENT_TYPE.get(cloudEventType);
        if (type != null) {
            return type;
        }
        throw InvalidEventException.field("type", cloudEventType, "is not a Millwright event type");
    }

    /** Schema file name under {@code mappings/schemas/}, e.g. {@code machine-state.v1}. */
    public String schemaName() {
        return eventName + ".v" + majorVersion;
    }

    /** JSON Schema id published under {@code mappings/schemas/}. */
    public String dataSchema() {
        return dataSchema;
    }
}
