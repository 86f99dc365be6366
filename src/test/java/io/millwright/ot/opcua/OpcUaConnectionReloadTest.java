package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.model.Endpoints;
import io.millwright.model.SourceReading;
import io.millwright.ot.OpcUaConnectionFiles;
import io.millwright.ot.OpcUaConnectionReloader;
import io.millwright.ot.OpcUaConnectionReloader.Outcome;
import io.millwright.ot.OpcUaIngestRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * Connection files changed while the hub runs: a valid change reconnects only that connection, an
 * invalid one is rejected with file, key and reason while the old one keeps running, a new file
 * adds a connection and a deleted one removes it.
 */
class OpcUaConnectionReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Queue<SourceReading> readings = new ConcurrentLinkedQueue<>();
    private final Instant firstWrite = Instant.now();
    private int writes;
    private CamelContext camel;
    private TestServer server;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void changedFileReconnectsOnlyItsConnection_invalidRejectedOldKept_newAdded_deletedRemoved() throws Exception {
        server = new TestServer(1_000);
        for (String name : List.of("A1", "A2", "B1", "C1")) {
            server.namespace().addPushed(name, name + "-0");
        }
        write("line-a.yaml", "A1");
        write("line-b.yaml", "B1");
        OpcUaConnectionFiles files = new OpcUaConnectionFiles(new MockEnvironment());
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(files.load(dir), n -> null, new SimpleMeterRegistry());
        camel = new DefaultCamelContext();
        camel.addComponent(OpcUaSubscriptionComponent.SCHEME, component);
        camel.addRoutes(new OpcUaIngestRoutes(component));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(Endpoints.TELEMETRY_INTAKE).process(e -> readings.addAll(e.getMessage().getBody(List.class)));
            }
        });
        camel.start();
        OpcUaConnectionReloader reloader = new OpcUaConnectionReloader(files, dir, component, camel);
        await().atMost(WAIT).until(() -> arrived("line-a", "A1") && arrived("line-b", "B1"));
        OpcUaConnectionStatus statusB = component.statuses().get("line-b");
        long bUptimeBefore = camel.getRoute("ot-line-b-opcua-ingest").getUptimeMillis();

        // a valid change: line-a now reads A2, line-b is left alone
        write("line-a.yaml", "A2", "A1");
        Outcome changed = reloader.reload();

        assertThat(changed.changed()).containsExactly("line-a");
        assertThat(changed.added()).isEmpty();
        assertThat(changed.removed()).isEmpty();
        await().atMost(WAIT).until(() -> arrived("line-a", "A2"));
        assertThat(camel.getRoute("ot-line-b-opcua-ingest").getUptimeMillis()).isGreaterThanOrEqualTo(bUptimeBefore);
        assertThat(statusB.isConnected()).isTrue();
        assertThat(component.connection("line-a").nodes()).extracting(OpcUaConnection.OpcUaNode::nodeId)
                .containsExactly(TestNamespace.nodeId("A2"), TestNamespace.nodeId("A1"));

        // an invalid change: rejected with file, key and reason; line-a keeps running as it was
        Files.writeString(dir.resolve("line-a.yaml"), "endpoint: " + server.endpointUrl()
                + "\nqueue-size: zero\nnodes: [\"" + TestNamespace.nodeId("A1") + "\"]\n");
        touch("line-a.yaml");
        Outcome rejected = reloader.reload();

        assertThat(rejected.rejected()).hasSize(1);
        assertThat(rejected.rejected().values().iterator().next())
                .contains("line-a.yaml").contains("'queue-size'").contains("must be a whole number >= 1, was 'zero'");
        assertThat(reloader.rejected()).containsKey(dir.resolve("line-a.yaml"));
        assertThat(rejected.changed()).isEmpty();
        assertThat(camel.getRouteController().getRouteStatus("ot-line-a-opcua-ingest")).isEqualTo(ServiceStatus.Started);
        server.namespace().set("A2", "A2-after-rejection");
        await().atMost(WAIT).until(() -> valuesOf("line-a", "A2").contains("A2-after-rejection"));

        // a new file adds a connection, a deleted one removes its route and health entry
        write("line-c.yaml", "C1");
        Files.delete(dir.resolve("line-b.yaml"));
        Outcome addedRemoved = reloader.reload();

        assertThat(addedRemoved.added()).containsExactly("line-c");
        assertThat(addedRemoved.removed()).containsExactly("line-b");
        await().atMost(WAIT).until(() -> arrived("line-c", "C1"));
        assertThat(camel.getRoute("ot-line-b-opcua-ingest")).isNull();
        assertThat(component.statuses()).containsOnlyKeys("line-a", "line-c");
        assertThat(reloader.reload().added()).isEmpty(); // nothing changed since
    }

    private void write(String file, String... nodes) throws Exception {
        StringBuilder yaml = new StringBuilder("endpoint: " + server.endpointUrl() + "\npublishing-interval: 100ms\nnodes:\n");
        for (String node : nodes) {
            yaml.append("  - \"").append(TestNamespace.nodeId(node)).append("\"\n");
        }
        Files.writeString(dir.resolve(file), yaml);
        touch(file);
    }

    /** A modification time no earlier write can share, whatever the file system's resolution. */
    private void touch(String file) throws Exception {
        Files.setLastModifiedTime(dir.resolve(file), FileTime.from(firstWrite.plusSeconds(++writes)));
    }

    private boolean arrived(String connection, String node) {
        return !valuesOf(connection, node).isEmpty();
    }

    private List<Object> valuesOf(String connection, String node) {
        String nodeId = TestNamespace.nodeId(node);
        return readings.stream().filter(r -> connection.equals(r.connection()) && nodeId.equals(r.nodeId()))
                .map(SourceReading::value).toList();
    }
}
