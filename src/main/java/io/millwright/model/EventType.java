package io.millwright.model;

/**
 * The canonical event types. The topic on Kafka and the multicast address on Artemis are both
 * {@code millwright.events.<name>}; the CloudEvents type carries the contract's major version.
 */
public enum EventType {
    SIGNAL("signal", 1),
    MACHINE_STATE("machine-state", 1),
    PRODUCTION_COUNT("production-count", 1),
    PRODUCTION_CONFIRMATION("production-confirmation", 1);

    private final String eventName;
    private final int majorVersion;

    EventType(String eventName, int majorVersion) {
        this.eventName = eventName;
        this.majorVersion = majorVersion;
    }

    /** Short name, e.g. {@code machine-state}. */
    public String eventName() {
        return eventName;
    }

    /** CloudEvents type, e.g. {@code io.millwright.machine-state.v1}. */
    public String cloudEventType() {
        return "io.millwright." + eventName + ".v" + majorVersion;
    }

    /** Kafka topic and Artemis address, e.g. {@code millwright.events.machine-state}. */
    public String destination() {
        return "millwright.events." + eventName;
    }

    /** The event type a CloudEvents {@code type} names, e.g. {@code io.millwright.machine-state.v1}. */
    public static EventType ofCloudEventType(String cloudEventType) {
        for (EventType type : values()) {
            if (type.cloudEventType().equals(cloudEventType)) {
                return type;
            }
        }
        throw InvalidEventException.field("type", cloudEventType, "is not a Millwright event type");
    }

    /** Schema file name under {@code mappings/schemas/}, e.g. {@code machine-state.v1}. */
    public String schemaName() {
        return eventName + ".v" + majorVersion;
    }

    /** JSON Schema id published under {@code mappings/schemas/}. */
    public String dataSchema() {
        return "https://millwright.io/schemas/" + schemaName() + ".schema.json";
    }
}
