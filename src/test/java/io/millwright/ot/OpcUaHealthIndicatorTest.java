package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millwright.ot.opcua.OpcUaSubscriptionComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.mock.env.MockEnvironment;

class OpcUaHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void rejectedFileChange_isInTheDetails_withFileKeyAndReason() throws Exception {
        OpcUaConnectionFiles files = new OpcUaConnectionFiles(new MockEnvironment());
        OpcUaSubscriptionComponent component = new OpcUaSubscriptionComponent(List.of(), n -> null, new SimpleMeterRegistry());
        OpcUaConnectionReloader reloader = new OpcUaConnectionReloader(files, dir, component, new DefaultCamelContext());
        Files.writeString(dir.resolve("press.yaml"), "endpoint: opc.tcp://10.0.0.5:4840\nqueue-size: zero\nnodes: [ns=3;s=A]\n");

        reloader.reload();
        Health health = new OpcUaHealthIndicator(component, reloader).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP); // no connection is down; a refused change is a detail
        @SuppressWarnings("unchecked")
        Map<String, String> rejected = (Map<String, String>) health.getDetails().get("rejectedFiles");
        assertThat(rejected).containsOnlyKeys(dir.resolve("press.yaml").toString());
        assertThat(rejected.values().iterator().next()).contains("press.yaml: 'queue-size' must be a whole number >= 1, was 'zero'");

        Files.writeString(dir.resolve("press.yaml"), "endpoint: opc.tcp://10.0.0.5:4840\nenabled: false\nnodes: [ns=3;s=A]\n");
        reloader.reload();
        assertThat(new OpcUaHealthIndicator(component, reloader).health().getDetails()).doesNotContainKey("rejectedFiles");
    }
}
