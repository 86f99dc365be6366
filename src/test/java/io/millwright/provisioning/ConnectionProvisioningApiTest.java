package io.millwright.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.ot.OpcUaConnectionReloader;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import io.millwright.testsupport.OtHubTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.ServiceStatus;
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
            "\"type\": \"mqtt\"                                 | type          | cannot be provisioned through the API yet",
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

    private JsonNode status(String name) throws Exception {
        HttpResponse<String> response = send("viewer", "GET", "/api/connections/" + name, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("status");
    }
}
