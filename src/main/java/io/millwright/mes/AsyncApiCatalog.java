package io.millwright.mes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millwright.model.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The event catalog as an AsyncAPI 3.0 document, built from the JSON Schemas in
 * {@code mappings/schemas/} that the hub and its tests validate against, so the catalog cannot
 * drift from what is published: every event type on its Kafka topic, Artemis address (AMQP, JMS,
 * STOMP) and MQTT topic; the subscription queues; order dispatch in. Served at
 * {@code /api/asyncapi}; a copy is in {@code docs/asyncapi.yaml}.
 */
public final class AsyncApiCatalog {

    private final ObjectMapper json = new ObjectMapper();
    private final Path schemas;
    private final String kafkaHost;
    private final String artemisHost;

    /**
     * @param schemas folder of the JSON Schemas ({@code <mappings-dir>/schemas})
     * @param kafkaHost Kafka bootstrap {@code host:port}
     * @param artemisHost Artemis acceptor {@code host:port}
     */
    public AsyncApiCatalog(Path schemas, String kafkaHost, String artemisHost) {
        this.schemas = schemas;
        this.kafkaHost = kafkaHost;
        this.artemisHost = artemisHost;
    }

    public ObjectNode document() {
        ObjectNode doc = json.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Millwright events");
        info.put("version", "1.0.0");
        info.put("description", "Canonical shop-floor events (CloudEvents 1.0, structured JSON) the hub publishes, "
                + "the same event on Kafka, Artemis (AMQP 1.0, JMS, STOMP) and MQTT; per-subscriber queues "
                + "millwright.subscriptions.<name>; order dispatch in on millwright.dispatch. "
                + "Generated from the JSON Schemas in mappings/schemas/.");
        doc.put("defaultContentType", "application/cloudevents+json");

        ObjectNode servers = doc.putObject("servers");
        server(servers, "kafka", kafkaHost, "kafka", null, "Kafka: topics keyed by asset path (one asset's events in order)");
        server(servers, "artemis-amqp", artemisHost, "amqp", "1.0", "ActiveMQ Artemis acceptor, AMQP 1.0 (JMS, STOMP and Core on the same port)");
        server(servers, "artemis-mqtt", artemisHost, "mqtt", null, "ActiveMQ Artemis acceptor, MQTT 3.1.1 and 5 ('/' in topics is '.' in addresses)");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode components = doc.putObject("components");
        ObjectNode componentSchemas = components.putObject("schemas");
        ObjectNode messages = components.putObject("messages");
        componentSchemas.set("envelope", schema("envelope.v1"));

        for (EventType type : EventType.values()) {
            String name = type.eventName();
            componentSchemas.set(name, schema(type.schemaName()));
            ObjectNode message = messages.putObject(name);
            message.put("name", name);
            message.put("title", type.cloudEventType());
            message.put("contentType", type == EventType.SIGNAL ? "application/cloudevents+json" : "application/cloudevents+json");
            message.put("summary", "CloudEvents type " + type.cloudEventType() + (type.isDurable()
                    ? "; durable on Artemis" : "; non-persistent on Artemis, by default batched (application/cloudevents-batch+json)"));
            ObjectNode payload = message.putObject("payload");
            ArrayNode allOf = payload.putArray("allOf");
            allOf.addObject().put("$ref", "#/components/schemas/envelope");
            ObjectNode specific = allOf.addObject();
            specific.put("type", "object");
            ObjectNode properties = specific.putObject("properties");
            properties.putObject("type").put("const", type.cloudEventType());
            properties.putObject("dataschema").put("const", type.dataSchema());
            properties.putObject("data").put("$ref", "#/components/schemas/" + name);

            channel(channels, operations, "kafka-" + name, type.destination(), "kafka", name, "send",
                    "Kafka topic " + type.destination() + ", key = asset path");
            channel(channels, operations, "artemis-" + name, type.destination(), "artemis-amqp", name, "send",
                    "Artemis multicast address (a JMS topic)");
            channel(channels, operations, "mqtt-" + name, "millwright/events/" + name, "artemis-mqtt", name, "send",
                    "MQTT topic on Artemis");
        }

        ObjectNode queue = channels.putObject("subscription-queue");
        queue.put("address", "millwright.subscriptions.{name}");
        queue.put("description", "A subscription's durable anycast queue (POST /api/subscriptions, delivery type queue): "
                + "only the subscribed types and assets, kept while the subscriber is away");
        queue.putObject("parameters").putObject("name").put("description", "the subscription's name");
        queue.putArray("servers").addObject().put("$ref", "#/servers/artemis-amqp");
        ObjectNode queueMessages = queue.putObject("messages");
        ObjectNode queueOperation = operations.putObject("deliver-subscription-queue");
        queueOperation.put("action", "send");
        queueOperation.putObject("channel").put("$ref", "#/channels/subscription-queue");
        ArrayNode queueRefs = queueOperation.putArray("messages");
        for (EventType type : EventType.values()) {
            if (type.isDurable()) {
                queueMessages.putObject(type.eventName()).put("$ref", "#/components/messages/" + type.eventName());
                queueRefs.addObject().put("$ref", "#/channels/subscription-queue/messages/" + type.eventName());
            }
        }

        componentSchemas.set("dispatch", schema("dispatch.v1"));
        ObjectNode dispatch = messages.putObject("dispatch");
        dispatch.put("name", "dispatch");
        dispatch.put("title", "Order dispatch (B2MML-inspired JobOrder)");
        dispatch.put("contentType", "application/json");
        dispatch.putObject("payload").put("$ref", "#/components/schemas/dispatch");
        channel(channels, operations, "dispatch", "millwright.dispatch", "artemis-amqp", "dispatch", "receive",
                "Anycast queue: the MES tells the hub which order operation runs on which work unit (also POST /api/dispatch)");
        channel(channels, operations, "dispatch-dead-letter", "millwright.dispatch.dead-letter", "artemis-amqp", "dispatch", "send",
                "Dispatches the hub could not apply, as they came, with the reason in property MillwrightDeadLetterReason");
        return doc;
    }

    private static void server(ObjectNode servers, String id, String host, String protocol, String version, String description) {
        ObjectNode server = servers.putObject(id);
        server.put("host", host);
        server.put("protocol", protocol);
        if (version != null) {
            server.put("protocolVersion", version);
        }
        server.put("description", description);
    }

    private static void channel(ObjectNode channels, ObjectNode operations, String id, String address, String server,
            String message, String action, String description) {
        ObjectNode channel = channels.putObject(id);
        channel.put("address", address);
        channel.put("description", description);
        channel.putArray("servers").addObject().put("$ref", "#/servers/" + server);
        channel.putObject("messages").putObject(message).put("$ref", "#/components/messages/" + message);
        ObjectNode operation = operations.putObject(action + "-" + id);
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + id);
        operation.putArray("messages").addObject().put("$ref", "#/channels/" + id + "/messages/" + message);
    }

    /** A schema file as an AsyncAPI schema object (its {@code $schema} and {@code $id} left out); a type without one gets a plain object. */
    private JsonNode schema(String name) {
        Path file = schemas.resolve(name + ".schema.json");
        if (!Files.exists(file)) {
            ObjectNode open = json.createObjectNode();
            open.put("type", "object");
            open.put("description", "no JSON Schema published yet for " + name);
            return open;
        }
        try {
            ObjectNode schema = (ObjectNode) json.readTree(file.toFile());
            schema.remove("$schema");
            schema.remove("$id");
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException("Schema not readable: " + file.toAbsolutePath(), e);
        }
    }
}
