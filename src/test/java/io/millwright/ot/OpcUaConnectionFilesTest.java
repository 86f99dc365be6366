package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.ot.OpcUaConnection.OpcUaNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

class OpcUaConnectionFilesTest {

    @TempDir
    Path dir;

    private final MockEnvironment environment = new MockEnvironment()
            .withProperty("millwright.sim.opcua.port", "4841")
            .withProperty("PRESS_OPCUA_PASSWORD", "s3cret-Pass");

    private final OpcUaConnectionFiles files = new OpcUaConnectionFiles(environment);

    @Test
    void shippedSimulatorFile_hasAll42NodesAndResolvedEndpoint() {
        OpcUaConnection connection = files.read(Path.of("adapters/opcua/plant-sim.yaml"));

        assertThat(connection.id()).isEqualTo("plant-sim");
        assertThat(connection.enabled()).isTrue();
        assertThat(connection.endpoint()).isEqualTo("opc.tcp://127.0.0.1:4841/millwright");
        assertThat(connection.overrideHost()).isTrue();
        assertThat(connection.securityPolicies()).containsExactly("None");
        assertThat(connection.username()).isNull();
        assertThat(connection.nodes()).hasSize(42);
        assertThat(connection.nodes().get(0))
                .isEqualTo(new OpcUaNode("nsu=urn:millwright:sim:plant;s=Line1.Machine1.State", "line1-machine1-state"));
        assertThat(connection.nodes()).extracting(OpcUaNode::name)
                .contains("line2-machine3-order-id", "line1-machine2-good-count");
    }

    @Test
    void shippedSimulatorFile_isDisabled_whenSimulatorIsDisabled() {
        environment.setProperty("millwright.sim.opcua.enabled", "false");

        assertThat(files.read(Path.of("adapters/opcua/plant-sim.yaml")).enabled()).isFalse();
    }

    @Test
    void loadFails_namingFileAndKey_whenEndpointIsMissing() throws IOException {
        Path file = write("line2-press.yaml", """
                nodes:
                  - ns=3;s=Press07.Force
                """);

        assertThatThrownBy(() -> files.load(dir))
                .isInstanceOf(InvalidConnectionFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'endpoint' is required")
                .satisfies(e -> assertThat(((InvalidConnectionFileException) e).key()).isEqualTo("endpoint"));
    }

    // Secrets never live in adapters/: a literal password is refused, not just discouraged.
    @Test
    void loadFails_namingFileAndKey_whenPasswordIsLiteral() throws IOException {
        Path file = write("line2-press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                username: operator
                password: hunter2
                nodes: [ns=3;s=Press07.Force]
                """);

        assertThatThrownBy(() -> files.load(dir))
                .isInstanceOf(InvalidConnectionFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'password' must be a reference to an environment variable")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void passwordReference_isKeptAsVariableName_whenVariableIsSet() throws IOException {
        write("line2-press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                username: operator
                password: ${PRESS_OPCUA_PASSWORD}
                nodes:
                  - node: ns=3;s=Press07.Force
                    name: press07-force
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.passwordVariable()).isEqualTo("PRESS_OPCUA_PASSWORD");
        assertThat(connection.toString()).doesNotContain("s3cret");
        assertThat(OpcUaIngestRoutes.consumerUri(connection, connection.nodes().get(0)))
                .isEqualTo("milo-client:opc.tcp://operator:{{PRESS_OPCUA_PASSWORD}}@10.0.0.5:4840"
                        + "?node=RAW(ns=3;s=Press07.Force)&clientId=line2-press&overrideHost=false"
                        + "&allowedSecurityPolicies=None&omitNullValues=false");
        assertThat(OpcUaIngestRoutes.routeId(connection, connection.nodes().get(0)))
                .isEqualTo("ot-line2-press-opcua-ingest-press07-force");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unset variable      | password: ${NOT_SET_ANYWHERE}\\nusername: op  | password        | NOT_SET_ANYWHERE, which is not set
            username alone      | username: op                                   | password        | is required with 'username'
            not opc.tcp         | endpoint: http://10.0.0.5:4840                 | endpoint        | must be opc.tcp://
            credentials in url  | endpoint: opc.tcp://op:pw@10.0.0.5:4840        | endpoint        | must not contain credentials
            secured policy      | security: [Basic256Sha256]                     | security        | needs a client certificate
            unknown policy      | security: Basic512                             | security        | is not an OPC UA security policy
            sampling interval   | sampling-interval: 100ms                       | sampling-interval | not honoured by camel-milo 4.17
            unknown key         | nodez: []                                      | nodez           | is not a known key
            bad boolean         | override-host: yes please                      | override-host   | must be true or false
            """)
    void loadFails_namingKeyAndReason(String name, String extraLines, String key, String reason) throws IOException {
        String base = "endpoint: opc.tcp://10.0.0.5:4840\nnodes: [ns=3;s=Press07.Force]\n";
        String extra = extraLines.replace("\\n", "\n");
        // a key given in 'extra' replaces the one in 'base'
        for (String line : extra.split("\n")) {
            String k = line.substring(0, line.indexOf(':'));
            base = base.replaceAll("(?m)^" + k + ":.*\\n", "");
        }
        write("press.yaml", base + extra + "\n");

        assertThatThrownBy(() -> files.load(dir))
                .isInstanceOf(InvalidConnectionFileException.class)
                .hasMessageContaining("press.yaml: '" + key + "'")
                .hasMessageContaining(reason);
    }

    @Test
    void loadFails_namingNodeIndex_whenNodeIdIsInvalid() throws IOException {
        write("press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                nodes:
                  - ns=3;s=Press07.Force
                  - Press07.Speed
                """);

        assertThatThrownBy(() -> files.load(dir))
                .hasMessageContaining("'nodes[1]' 'Press07.Speed' is not an OPC UA node id");
    }

    @Test
    void loadFails_whenTwoNodesGiveTheSameRouteName() throws IOException {
        write("press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                nodes:
                  - ns=3;s=Press07.Force
                  - ns=4;s=Press07.Force
                """);

        assertThatThrownBy(() -> files.load(dir))
                .hasMessageContaining("'nodes[1]'")
                .hasMessageContaining("same route name 'press07-force'; give one of them a 'name'");
    }

    // The example in the guide must stay a valid file.
    @Test
    void guideExample_isValid() throws IOException {
        String guide = Files.readString(Path.of("docs/opcua-adapter.md"));
        int start = guide.indexOf("# adapters/opcua/line2-press.yaml");
        write("line2-press.yaml", guide.substring(start, guide.indexOf("```", start)));
        environment.setProperty("LINE2_PRESS_OPCUA_PASSWORD", "from-env");

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.overrideHost()).isTrue();
        assertThat(connection.username()).isEqualTo("millwright");
        assertThat(connection.nodes()).hasSize(4);
        assertThat(OpcUaIngestRoutes.consumerUri(connection, connection.nodes().get(0)))
                .startsWith("milo-client:opc.tcp://millwright:{{LINE2_PRESS_OPCUA_PASSWORD}}@10.20.2.17:4840"
                        + "?node=RAW(nsu=http://www.siemens.com/simatic-s7-opcua;s=\"DB_Press\".\"State\")");
    }

    @Test
    void loadReturnsNothing_whenDirectoryIsAbsent() {
        assertThat(files.load(dir.resolve("missing"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            nsu=urn:millwright:sim:plant;s=Line1.Machine1.State | line1-machine1-state
            nsu=urn:millwright:sim:plant;s=Line2.Machine3.GoodCount | line2-machine3-good-count
            ns=2;i=1001                                          | i-1001
            ns=3;s=\"DB_Press\".\"Force\"                        | db-press-force
            """)
    void routeName_isKebabCaseIdentifier(String nodeId, String expected) {
        assertThat(OpcUaConnectionFiles.routeName(nodeId)).isEqualTo(expected);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
