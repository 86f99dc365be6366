package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.MillwrightApplication;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubTestProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A standby hub in a cluster ({@code millwright.cluster.enabled}): another instance holds the lock
 * of the OPC UA route, so the standby keeps it stopped and its connection has no session. It is
 * ready nonetheless: it serves the API and takes the route over when the leader goes. Its readiness
 * probe (what Kubernetes routes traffic by, and what a rolling update waits for) must answer UP; a
 * DOWN would keep every standby out of service and stall a rollout. The leader here is a second JVM
 * ({@link ClusterMember}) holding the same route's lock in the same folder.
 */
class StandbyReadinessTest {

    private static final String ADMIN_PASSWORD = "standby-ready-Pw-1";
    private static final String ROUTE = "ot-press-line-opcua-ingest"; // ClusterMember's route: the same lock

    @TempDir
    Path dir;

    Process leader;
    ConfigurableApplicationContext hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (leader != null) {
            leader.destroyForcibly();
        }
    }

    @Test
    void standbyIsReady_whileAnotherInstanceRunsItsOpcUaRoute() throws Exception {
        Path root = Files.createDirectories(dir.resolve("locks"));
        Path runs = dir.resolve("runs.log");
        leader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName(),
                root.toString(), runs.toString(), "leader")
                .redirectErrorStream(true).redirectOutput(dir.resolve("leader.out").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(runs) && Files.size(runs) > 0);

        Path adapters = Files.createDirectories(dir.resolve("adapters/opcua"));
        Files.writeString(adapters.resolve("press-line.yaml"), """
                endpoint: opc.tcp://127.0.0.1:%d/press
                security: [None]
                nodes: ["nsu=urn:test;s=Press.State"]
                """.formatted(FreePorts.next()));
        hub = new SpringApplicationBuilder(MillwrightApplication.class).run(HubTestProperties.withoutBrokers(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--millwright.security.admin-password=" + ADMIN_PASSWORD,
                "--millwright.data-dir=" + dir.resolve("data"),
                "--millwright.adapters-dir=" + dir.resolve("adapters"),
                "--millwright.cluster.enabled=true",
                "--millwright.cluster.root=" + root,
                "--millwright.sim.erp.enabled=false",
                "--management.health.jms.enabled=false"));
        int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
        CamelContext camel = hub.getBean(CamelContext.class);

        assertThat(camel.getRoute(ROUTE)).as("the hub has the OPC UA route of press-line.yaml").isNotNull();
        Thread.sleep(5_000); // a few lock intervals (2 s): the standby does not get the lock
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).as("standby: route kept stopped")
                .isEqualTo(ServiceStatus.Stopped);
        JsonNode opcua = get(port, "/actuator/health/opcua", true).body;
        System.out.println("StandbyReadinessTest: the standby's opcua health " + opcua);
        // the standby's connection has no session by design: shown as standby, not DOWN (it was, and
        // every standby's /actuator/health answered 503)
        assertThat(opcua.path("status").asText()).as("the standby's opcua health").isEqualTo("UP");
        assertThat(opcua.path("details").path("press-line").path("role").asText()).isEqualTo("standby");
        assertThat(opcua.path("details").path("press-line").path("connected").asBoolean()).isFalse();

        // ready: the probe answers UP, without a login, like Kubernetes asks
        Answer readiness = get(port, "/actuator/health/readiness", false);
        assertThat(readiness.status).as("readiness of the standby: %s", readiness.body).isEqualTo(200);
        assertThat(readiness.body.path("status").asText()).isEqualTo("UP");
        // control: the leader still runs the route (the standby did not take it)
        long before = Files.size(runs);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(runs) > before);

        // control: once it leads (the leader is killed) the same connection without a server is DOWN
        leader.destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRouteController().getRouteStatus(ROUTE) == ServiceStatus.Started);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode leading = get(port, "/actuator/health/opcua", true).body;
            assertThat(leading.path("status").asText()).as("opcua of the new leader: %s", leading).isEqualTo("DOWN");
            assertThat(leading.path("details").path("press-line").has("role")).isFalse();
        });
    }

    private record Answer(int status, JsonNode body) {}

    private static Answer get(int port, String path, boolean admin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (admin) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), new ObjectMapper().readTree(response.body()));
    }
}
