package io.millwright.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ot.OpcUaConnectionReloader;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import io.micrometer.core.instrument.MeterRegistry;
import io.millwright.ot.sparkplug.SparkplugPayloads;
import io.millwright.ot.sparkplug.TestEdgeNode;
import io.millwright.testsupport.MqttTestBroker;
import io.millwright.testsupport.OtHubTest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.ServiceStatus;
import org.eclipse.tahu.message.model.MetricDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The provisioning API on the running hub: an OPC UA connection created through it connects to the
 * plant simulator's Milo server and delivers values (seen in its status), is changed, disabled,
 * enabled and deleted with its route; bad definitions answer 400 with the key and the file reader's
 * reason; a file of the same name wins (409 naming the file); only integrator and admin may change.
 */
class ConnectionProvisioningApiTest extends OtHubTest {

    // bounds, not expectations: on a loaded 2-core machine a Milo session can take 25 s to come up
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TEMPERATURE = "nsu=urn:millwright:sim:plant;s=Line1.Machine1.Temperature";
    private static final String VIBRATION = "nsu=urn:millwright:sim:plant;s=Line1.Machine1.Vibration";

    @Autowired ObjectMapper json;
    @Autowired ConnectionStore store;
    @Autowired OpcUaSubscriptionComponent component;
    @Autowired OpcUaConnectionReloader reloader;
    @Autowired ConnectionProvisioning provisioning;
    @Autowired MeterRegistry meters;

    private String connection(String name, String... nodes) {
        return """
                {"name": "%s", "type": "opcua", "endpoint": "%s", "override-host": true,
                 "publishing-interval": "100ms", "sampling-interval": "100ms", "nodes": %s}"""
                .formatted(name, simEndpoint(), json.valueToTree(nodes));
    }

    @Test
    void createdConnectionDeliversValues_changed_disabled_enabled_deletedStopsIt() throws Exception {
        HttpResponse<String> created = send("integrator", "POST", "/api/connections", connection("api-line-1", TEMPERATURE));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/connections/api-line-1");
        assertThat(json.readTree(created.body()).path("origin").asText()).isEqualTo("api");
        assertThat(camel.getRouteController().getRouteStatus("ot-api-line-1-opcua-ingest")).isEqualTo(ServiceStatus.Started);
        JsonNode status = await().atMost(WAIT).until(() -> status("api-line-1"),
                s -> s.path("connected").asBoolean() && s.path("valuesReceived").asLong() > 0);
        assertThat(status.path("state").asText()).isEqualTo("connected");
        assertThat(status.path("lastValueTime").asText()).isNotBlank();
        assertThat(status.path("lastError").isNull()).isTrue();
        assertThat(store.find("api-line-1")).as("persisted").isPresent();
        assertThat(send("integrator", "POST", "/api/connections", connection("api-line-1", TEMPERATURE)).statusCode())
                .as("the same definition again").isEqualTo(200);
        assertThat(send("integrator", "POST", "/api/connections", connection("api-line-1", VIBRATION)).statusCode())
                .as("another definition by that name").isEqualTo(409);

        // a change reconnects with the new node list
        HttpResponse<String> changed = send("admin", "PUT", "/api/connections/api-line-1", connection("api-line-1", TEMPERATURE, VIBRATION));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(component.connection("api-line-1").nodes()).hasSize(2);
        assertThat(json.readTree(changed.body()).path("definition").path("nodes")).hasSize(2);
        await().atMost(WAIT).until(() -> status("api-line-1").path("connected").asBoolean());

        // disabled: the route is gone, the definition stays; enabled again: it delivers again
        HttpResponse<String> disabled = send("integrator", "POST", "/api/connections/api-line-1/disable", null);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(json.readTree(disabled.body()).path("status").path("state").asText()).isEqualTo("disabled");
        assertThat(camel.getRoute("ot-api-line-1-opcua-ingest")).isNull();
        assertThat(store.find("api-line-1").orElseThrow().definition()).containsEntry("enabled", false);
        assertThat(send("integrator", "POST", "/api/connections/api-line-1/enable", null).statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> status("api-line-1"),
                s -> s.path("connected").asBoolean() && s.path("valuesReceived").asLong() > 0);

        // deleted: route, status and row gone
        assertThat(send("integrator", "DELETE", "/api/connections/api-line-1", null).statusCode()).isEqualTo(204);
        assertThat(camel.getRoute("ot-api-line-1-opcua-ingest")).isNull();
        assertThat(component.statuses()).doesNotContainKey("api-line-1");
        assertThat(store.find("api-line-1")).isEmpty();
        assertThat(send("viewer", "GET", "/api/connections/api-line-1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void yamlBody_sameShapeAsAFile_isAccepted() throws Exception {
        String yaml = """
                name: api-yaml
                endpoint: %s
                override-host: true
                enabled: false
                nodes:
                  - %s
                """.formatted(simEndpoint(), TEMPERATURE);
        HttpResponse<String> created = send("admin", "POST", "/api/connections", "application/yaml", yaml);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = json.readTree(created.body());
        assertThat(view.path("enabled").asBoolean()).isFalse();
        assertThat(view.path("status").path("state").asText()).isEqualTo("disabled");
        assertThat(camel.getRoute("ot-api-yaml-opcua-ingest")).as("disabled: no route").isNull();
        assertThat(send("admin", "DELETE", "/api/connections/api-yaml", null).statusCode()).isEqualTo(204);
    }

    // the reasons are the connection-file reader's own, so a file and the API fail alike
    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "\"endpoint\": \"http://plc:4840\"                  | endpoint      | must be opc.tcp://<host>:<port>[/path]",
            "\"endpoint\": null                                 | endpoint      | is required",
            "\"queue-size\": \"zero\"                           | queue-size    | must be a whole number >= 1, was 'zero'",
            "\"nodes\": [\"not a node\"]                        | nodes[0]      | is not an OPC UA node id",
            "\"sampling-rate\": \"1s\"                          | sampling-rate | is not a known key",
            "\"password\": \"plain-text\"                       | password      | must be a reference to an environment variable",
            "\"endpoint\": \"opc.tcp://${MILLWRIGHT_ADMIN_PASSWORD}:4840\" | endpoint | placeholders",
            "\"name\": \"Line 9\"                               | name          | kebab-case",
            "\"type\": \"sparkplug\"                            | endpoint      | is not a known key of a Sparkplug connection",
            "\"type\": \"modbus\"                               | type          | must be opcua"})
    void invalidDefinition_isRefusedNamingTheKeyAndReason(String override, String field, String reason) throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(connection("api-bad", TEMPERATURE));
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{" + override + "}"));

        HttpResponse<String> response = send("integrator", "POST", "/api/connections", body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("field").asText()).isEqualTo(field);
        assertThat(problem.path("detail").asText()).contains(reason).doesNotContain(ADMIN_PASSWORD);
        assertThat(store.find("api-bad")).as("nothing stored").isEmpty();
        assertThat(camel.getRoute("ot-api-bad-opcua-ingest")).as("nothing started").isNull();
    }

    @Test
    void fileOfTheSameName_winsOverTheApi_409NamingTheFile() throws Exception {
        Path file = ADAPTERS.resolve("opcua").resolve("file-line.yaml");
        Files.writeString(file, "enabled: false\nendpoint: " + simEndpoint() + "\nnodes: [\"" + TEMPERATURE + "\"]\n");
        try {
            HttpResponse<String> created = send("admin", "POST", "/api/connections", connection("file-line", TEMPERATURE));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(409);
            assertThat(json.readTree(created.body()).path("detail").asText()).contains(file.toString()).contains("wins");
            assertThat(send("admin", "DELETE", "/api/connections/file-line", null).statusCode()).isEqualTo(409);
            JsonNode view = json.readTree(send("viewer", "GET", "/api/connections/file-line", null).body());
            assertThat(view.path("origin").asText()).isEqualTo("file");
            assertThat(view.path("file").asText()).isEqualTo(file.toString());
        } finally {
            Files.delete(file);
        }
    }

    // what a restart does: the routes are gone, the rows are not; runStored is what runs on ApplicationReadyEvent
    @Test
    void storedConnection_isStartedAgain_atStartUp() throws Exception {
        assertThat(send("admin", "POST", "/api/connections", connection("api-restart", TEMPERATURE)).statusCode()).isEqualTo(201);
        reloader.remove("api-restart");
        assertThat(camel.getRoute("ot-api-restart-opcua-ingest")).isNull();

        provisioning.runStored();

        assertThat(camel.getRouteController().getRouteStatus("ot-api-restart-opcua-ingest")).isEqualTo(ServiceStatus.Started);
        assertThat(component.connection("api-restart").endpoint()).isEqualTo(simEndpoint());
        assertThat(send("admin", "DELETE", "/api/connections/api-restart", null).statusCode()).isEqualTo(204);
    }

    @Test
    void viewerMayRead_butNotChange() throws Exception {
        HttpResponse<String> refused = send("viewer", "POST", "/api/connections", connection("api-viewer", TEMPERATURE));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(store.find("api-viewer")).isEmpty();
        assertThat(send("viewer", "DELETE", "/api/connections/api-viewer", null).statusCode()).isEqualTo(403);
        HttpResponse<String> list = send("viewer", "GET", "/api/connections", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json.readTree(list.body()).isArray()).isTrue();
    }

    // type mqtt: a plain MQTT JSON source, the same keys as millwright.mqtt.sources.<name>, against the machine's Mosquitto
    @Test
    void mqttSource_createdDeliversValues_changed_disabled_enabled_deleted() throws Exception {
        MqttTestBroker.ensureRunning();
        String topic = "mwtest/provisioning/" + UUID.randomUUID();
        String definition = """
                {"name": "api-mqtt-1", "type": "mqtt", "broker-url": "%s", "version": "3.1.1", "topics": ["%s/+"], "qos": 1}"""
                .formatted(MqttTestBroker.URL, topic);
        HttpResponse<String> created = send("integrator", "POST", "/api/connections", definition);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json.readTree(created.body()).path("type").asText()).isEqualTo("mqtt");
        assertThat(camel.getRouteController().getRouteStatus("ot-api-mqtt-1-mqtt-0")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRouteController().getRouteStatus("ot-api-mqtt-1-mqtt-map")).isEqualTo(ServiceStatus.Started);

        MqttClient gateway = new MqttClient(MqttTestBroker.URL, "mwtest-prov-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        gateway.connect(options);
        try {
            JsonNode status = await().atMost(WAIT).until(() -> {
                gateway.publish(topic + "/oven-2", "{\"temperature\": 181.5, \"pressure\": 2.5}".getBytes(StandardCharsets.UTF_8), 1, false);
                return status("api-mqtt-1");
            }, s -> s.path("connected").asBoolean() && s.path("valuesReceived").asLong() >= 2
                    // the rate is over the last whole second: positive once a second with values has passed
                    && s.path("valuesPerSecond").asDouble() > 0);
            assertThat(status.path("state").asText()).isEqualTo("connected");
            assertThat(status.path("lastValueTime").asText()).isNotBlank();
            assertThat(status.path("valuesPerSecond").asDouble()).isPositive();
            assertThat(status.path("errors").asLong()).isZero();

            // a message the mapping cannot use is counted as an error with its reason
            gateway.publish(topic + "/oven-2", "temperature=181.5".getBytes(StandardCharsets.UTF_8), 1, false);
            JsonNode failed = await().atMost(WAIT).until(() -> status("api-mqtt-1"), s -> s.path("errors").asLong() >= 1);
            assertThat(failed.path("lastError").asText()).contains("not JSON");

            // changed: a second topic filter, a second route
            HttpResponse<String> changed = send("admin", "PUT", "/api/connections/api-mqtt-1", """
                    {"broker-url": "%s", "version": "5", "topics": ["%s/+", "%s-b/#"]}""".formatted(MqttTestBroker.URL, topic, topic));
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
            assertThat(camel.getRouteController().getRouteStatus("ot-api-mqtt-1-mqtt-1")).isEqualTo(ServiceStatus.Started);
            assertThat(store.find("api-mqtt-1").orElseThrow().definition()).containsEntry("version", "5");

            assertThat(send("integrator", "POST", "/api/connections/api-mqtt-1/disable", null).statusCode()).isEqualTo(200);
            assertThat(camel.getRoute("ot-api-mqtt-1-mqtt-0")).isNull();
            assertThat(camel.getRoute("ot-api-mqtt-1-mqtt-map")).isNull();
            assertThat(status("api-mqtt-1").path("state").asText()).isEqualTo("disabled");
            assertThat(send("integrator", "POST", "/api/connections/api-mqtt-1/enable", null).statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> {
                gateway.publish(topic + "-b/x/oven-3", "{\"temperature\": 99}".getBytes(StandardCharsets.UTF_8), 1, false);
                return status("api-mqtt-1");
            }, s -> s.path("connected").asBoolean() && s.path("valuesReceived").asLong() >= 1);

            // what a restart does: routes gone, row kept; runStored starts it again
            provisioning.runStored();
            assertThat(camel.getRouteController().getRouteStatus("ot-api-mqtt-1-mqtt-1")).isEqualTo(ServiceStatus.Started);
        } finally {
            gateway.disconnect();
            gateway.close();
        }
        assertThat(send("integrator", "DELETE", "/api/connections/api-mqtt-1", null).statusCode()).isEqualTo(204);
        assertThat(camel.getRoute("ot-api-mqtt-1-mqtt-0")).isNull();
        assertThat(camel.getRoute("ot-api-mqtt-1-mqtt-1")).isNull();
        assertThat(store.find("api-mqtt-1")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "\"broker-url\": \"http://gateway:1883\"           | broker-url | must be tcp://host:port",
            "\"broker-url\": null                               | broker-url | must not be blank",
            "\"topics\": []                                     | topics     | must not be empty",
            "\"topics\": \"a/b\"                                | topics     | must be a list of topic filters",
            "\"version\": \"4\"                                 | version    | must be 5 or 3.1.1",
            "\"qos\": 3                                         | qos        | must be less than or equal to 2",
            "\"qos\": \"one\"                                   | qos        | must be 0, 1 or 2",
            "\"password\": \"plain-text\"                       | password   | must be a reference to an environment variable",
            "\"password\": \"${MILLWRIGHT_NOT_SET_ANYWHERE}\"   | password   | is not set",
            "\"mapping\": \"transform/none.jsonata\"            | mapping    | no such file",
            "\"endpoint\": \"opc.tcp://plc:4840\"               | endpoint   | is not a known key of an MQTT source",
            "\"name\": \"line 9\"                               | name       | letters, digits"})
    void invalidMqttSource_isRefusedNamingTheKeyAndReason(String override, String field, String reason) throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("""
                {"name": "api-mqtt-bad", "type": "mqtt", "broker-url": "tcp://127.0.0.1:1883", "topics": ["mwtest/bad/#"]}""");
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{" + override + "}"));

        HttpResponse<String> response = send("integrator", "POST", "/api/connections", body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("field").asText()).isEqualTo(field);
        assertThat(problem.path("detail").asText()).contains(reason);
        assertThat(store.find("api-mqtt-bad")).as("nothing stored").isEmpty();
        assertThat(camel.getRoute("ot-api-mqtt-bad-mqtt-0")).as("nothing started").isNull();
    }

    // type sparkplug: a Sparkplug B host of its own (host id, session, routes) beside the settings' one, against the
    // machine's Mosquitto with an edge node that publishes Tahu-encoded payloads
    @Test
    void sparkplugHost_createdReadsAnEdgeNode_changed_disabled_enabled_deleted() throws Exception {
        MqttTestBroker.ensureRunning();
        String hostId = "mwtest-api-host-" + RUN;
        String otherHostId = hostId + "-b";
        String group = "mwtest-prov-" + RUN;
        String definition = """
                {"name": "api-spb-1", "type": "sparkplug", "host-id": "%s", "broker-url": "%s", "keep-alive": "5s", "group-ids": ["%s"]}"""
                .formatted(hostId, MqttTestBroker.URL, group);
        HttpResponse<String> created = send("integrator", "POST", "/api/connections", definition);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json.readTree(created.body()).path("type").asText()).isEqualTo("sparkplug");
        assertThat(camel.getRouteController().getRouteStatus("ot-api-spb-1-sparkplug-ingest")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRouteController().getRouteStatus("ot-api-spb-1-sparkplug-data-gap")).isEqualTo(ServiceStatus.Started);
        assertThat(send("integrator", "POST", "/api/connections", definition).statusCode()).as("the same definition again").isEqualTo(200);
        // Sparkplug 3.0: the host's STATE, retained, online
        assertThat(awaitState(hostId, true).path("timestamp").asLong()).isPositive();

        var throughOwnRoute = new org.apache.camel.builder.NotifyBuilder(camel).fromRoute("ot-api-spb-1-sparkplug-ingest").whenDone(2)
                .create();
        try (TestEdgeNode edge = new TestEdgeNode(MqttTestBroker.URL, group, "line-7", 0)) {
            edge.publish("NBIRTH", null, SparkplugPayloads.payload(0).named("bdSeq", null, MetricDataType.Int64, 0L)
                    .named("Node Control/Rebirth", null, MetricDataType.Boolean, false)
                    .named("Process/Temperature", 1L, MetricDataType.Double, 20.0).bytes());
            java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
            JsonNode status = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                long next = seq.incrementAndGet();
                edge.publish("NDATA", null, SparkplugPayloads.payload(next % 256).alias(1, MetricDataType.Double, 20.0 + next).bytes());
                return status("api-spb-1");
            }, s -> s.path("connected").asBoolean() && s.path("valuesReceived").asLong() >= 3 && s.path("valuesPerSecond").asDouble() > 0);
            assertThat(status.path("state").asText()).isEqualTo("connected");
            assertThat(status.path("lastValueTime").asText()).isNotBlank();
            assertThat(status.path("errors").asLong()).isZero();
            // the readings go through the connection's own route
            assertThat(throughOwnRoute.matches(30, java.util.concurrent.TimeUnit.SECONDS)).as("an exchange done on ot-api-spb-1-sparkplug-ingest")
                    .isTrue();

            // a sequence gap: this host asks for a rebirth and counts it under its own name
            edge.publish("NDATA", null, SparkplugPayloads.payload((seq.get() + 5) % 256).alias(1, MetricDataType.Double, 1.0).bytes());
            await().atMost(WAIT).until(() -> meters.counter("millwright.sparkplug.rebirth.requests", "connection", "api-spb-1",
                    "reason", "sequence-gap").count() >= 1);
            assertThat(edge.commands.poll(30, java.util.concurrent.TimeUnit.SECONDS)).as("NCMD rebirth request").isNotNull();
        }

        // disabled: STATE offline, routes gone; enabled: online again
        assertThat(send("integrator", "POST", "/api/connections/api-spb-1/disable", null).statusCode()).isEqualTo(200);
        assertThat(awaitState(hostId, false).path("online").asBoolean()).isFalse();
        assertThat(camel.getRoute("ot-api-spb-1-sparkplug-ingest")).isNull();
        assertThat(status("api-spb-1").path("state").asText()).isEqualTo("disabled");
        assertThat(send("integrator", "POST", "/api/connections/api-spb-1/enable", null).statusCode()).isEqualTo(200);
        awaitState(hostId, true);
        await().atMost(WAIT).until(() -> status("api-spb-1").path("connected").asBoolean());

        // changed: another host id; the old one says offline, the new one online
        HttpResponse<String> changed = send("admin", "PUT", "/api/connections/api-spb-1", """
                {"host-id": "%s", "broker-url": "%s", "group-ids": ["%s"]}""".formatted(otherHostId, MqttTestBroker.URL, group));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        awaitState(hostId, false);
        awaitState(otherHostId, true);

        // what a restart does: runStored starts it again from the row
        provisioning.runStored();
        await().atMost(WAIT).until(() -> status("api-spb-1").path("connected").asBoolean());

        assertThat(send("integrator", "DELETE", "/api/connections/api-spb-1", null).statusCode()).isEqualTo(204);
        awaitState(otherHostId, false);
        assertThat(camel.getRoute("ot-api-spb-1-sparkplug-ingest")).isNull();
        assertThat(camel.getRoute("ot-api-spb-1-sparkplug-data-gap")).isNull();
        assertThat(meters.find("millwright.sparkplug.messages").tag("connection", "api-spb-1").counter()).as("meters removed").isNull();
        assertThat(store.find("api-spb-1")).isEmpty();
        clearRetained("spBv1.0/STATE/" + hostId);
        clearRetained("spBv1.0/STATE/" + otherHostId);
    }

    @Test
    void sparkplugHostOfTheSettings_isListed_andWinsOverTheApi() throws Exception {
        JsonNode view = json.readTree(send("viewer", "GET", "/api/connections/sparkplug", null).body());
        assertThat(view.path("origin").asText()).isEqualTo("setting");
        assertThat(view.path("type").asText()).isEqualTo("sparkplug");
        HttpResponse<String> clash = send("admin", "POST", "/api/connections", """
                {"name": "sparkplug", "type": "sparkplug", "host-id": "mwtest-clash-%s", "broker-url": "%s"}""".formatted(RUN,
                MqttTestBroker.URL));
        assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);
        assertThat(json.readTree(clash.body()).path("detail").asText()).contains("millwright.sparkplug");
        assertThat(store.find("sparkplug")).isEmpty();
        // two hosts of one id on one broker would fight over their STATE
        HttpResponse<String> sameId = send("admin", "POST", "/api/connections", """
                {"name": "api-spb-same", "type": "sparkplug", "host-id": "%s", "broker-url": "%s"}""".formatted(HOST_ID,
                MqttTestBroker.URL));
        assertThat(sameId.statusCode()).as(sameId.body()).isEqualTo(400);
        assertThat(json.readTree(sameId.body()).path("field").asText()).isEqualTo("host-id");
        assertThat(json.readTree(sameId.body()).path("detail").asText()).contains("is the host id of the settings");
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "\"host-id\": \"plant/2\"                           | host-id    | must not contain '/', '+' or '#'",
            "\"host-id\": null                                  | host-id    | must not be blank",
            "\"broker-url\": \"http://broker:1883\"             | broker-url | must be tcp://host:port",
            "\"broker-url\": \"tcp://broker\"                   | broker-url | must be tcp://host:port",
            "\"keep-alive\": \"soon\"                           | keep-alive | must be a duration",
            "\"enabled\": \"yes\"                               | enabled    | must be true or false",
            "\"password\": \"plain-text\"                       | password   | must be a reference to an environment variable",
            "\"password\": \"${MILLWRIGHT_NOT_SET_ANYWHERE}\"   | password   | is not set",
            "\"group-ids\": [\"plant/2\"]                       | group-ids[0] | must not contain '/', '+' or '#'",
            "\"group-ids\": \"plant-2\"                         | group-ids  | must be a list of Sparkplug group ids",
            "\"topics\": [\"a/#\"]                              | topics     | is not a known key of a Sparkplug connection",
            "\"name\": \"Plant 2\"                              | name       | kebab-case"})
    void invalidSparkplugConnection_isRefusedNamingTheKeyAndReason(String override, String field, String reason) throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("""
                {"name": "api-spb-bad", "type": "sparkplug", "host-id": "mwtest-bad", "broker-url": "tcp://127.0.0.1:1883"}""");
        body.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{" + override + "}"));

        HttpResponse<String> response = send("integrator", "POST", "/api/connections", body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("field").asText()).isEqualTo(field);
        assertThat(problem.path("detail").asText()).contains(reason);
        assertThat(store.find("api-spb-bad")).as("nothing stored").isEmpty();
        assertThat(camel.getRoute("ot-api-spb-bad-sparkplug-ingest")).as("nothing started").isNull();
    }

    private JsonNode awaitState(String hostId, boolean online) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> json.readTree(retained("spBv1.0/STATE/" + hostId)), s -> s.path("online").asBoolean() == online);
    }

    /** The retained message of a topic, as a new subscriber gets it ("{}" when there is none). */
    private static String retained(String topic) throws Exception {
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        MqttClient reader = new MqttClient(MqttTestBroker.URL, "mwtest-reader-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            reader.connect();
            reader.subscribe(topic, 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            String message = got.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            return message == null || message.isEmpty() ? "{}" : message;
        } finally {
            reader.disconnect();
            reader.close();
        }
    }

    private static void clearRetained(String topic) throws Exception {
        MqttClient c = new MqttClient(MqttTestBroker.URL, "mwtest-clear-" + UUID.randomUUID(), new MemoryPersistence());
        c.connect();
        c.publish(topic, new byte[0], 1, true);
        c.disconnect();
        c.close();
    }

    private JsonNode status(String name) throws Exception {
        HttpResponse<String> response = send("viewer", "GET", "/api/connections/" + name, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("status");
    }
}
