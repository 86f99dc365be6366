package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.ot.opcua.HandoffSettings;
import io.millwright.ot.opcua.HandoffSettings.WhenFull;
import io.millwright.ot.opcua.OpcUaConnection;
import io.millwright.ot.opcua.OpcUaConnection.NodeGroup;
import io.millwright.ot.opcua.OpcUaConnection.OpcUaNode;
import io.millwright.ot.opcua.SubscriptionSettings;
import io.millwright.ot.opcua.SubscriptionSettings.Deadband;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            .withProperty("PRESS_OPCUA_PASSWORD", "s3cret-Pass")
            .withProperty("ODD_OPCUA_PASSWORD", "p@ss:w/rd%20 {}()\"ü");

    private final OpcUaConnectionFiles files = new OpcUaConnectionFiles(environment);

    @Test
    void shippedSimulatorFile_hasAll42NodesResolvedEndpointAndDefaults() {
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
        assertThat(connection.groups()).extracting(NodeGroup::name).containsExactly("default");
        assertThat(connection.handoff()).isEqualTo(HandoffSettings.DEFAULTS);
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
        assertThat(OpcUaIngestRoutes.routeId(connection)).isEqualTo("ot-line2-press-opcua-ingest");
        assertThat(connection.nodes()).containsExactly(new OpcUaNode("ns=3;s=Press07.Force", "press07-force"));
    }

    // camel-milo carried credentials in the URI; Milo's UsernameProvider takes any character
    @Test
    void passwordAccepted_whenItHoldsCharactersAUriWouldEscape() throws IOException {
        write("line2-press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                username: op@plant:2 ü
                password: ${ODD_OPCUA_PASSWORD}
                nodes: [ns=3;s=Press07.Force]
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.username()).isEqualTo("op@plant:2 ü");
        assertThat(connection.passwordVariable()).isEqualTo("ODD_OPCUA_PASSWORD");
    }

    @Test
    void settingsParsed_andGroupsInheritAndOverride() throws IOException {
        write("line2.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                sampling-interval: 250ms
                publishing-interval: 2s
                queue-size: 5
                discard-oldest: false
                deadband: { absolute: 0.5 }
                hand-off:
                  capacity: 5000
                  when-full: drop-oldest
                  max-batch: 200
                  workers: 3
                nodes:
                  - ns=3;s=Speed
                groups:
                  - name: fast-states
                    sampling-interval: 0ms
                    publishing-interval: 100ms
                    queue-size: 10
                    deadband: none
                    nodes:
                      - ns=3;s=State
                  - name: slow-temperatures
                    publishing-interval: 1m
                    deadband: { percent: 2 }
                    nodes:
                      - node: ns=3;s=Oven.Temperature
                        name: oven
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.handoff()).isEqualTo(new HandoffSettings(5000, WhenFull.DROP_OLDEST, 200, 3));
        assertThat(connection.groups()).containsExactly(
                new NodeGroup("default",
                        new SubscriptionSettings(Duration.ofMillis(250), Duration.ofSeconds(2), 5, false,
                                new Deadband(Deadband.Type.ABSOLUTE, 0.5)),
                        List.of(new OpcUaNode("ns=3;s=Speed", "speed"))),
                new NodeGroup("fast-states",
                        new SubscriptionSettings(Duration.ZERO, Duration.ofMillis(100), 10, false, Deadband.NONE),
                        List.of(new OpcUaNode("ns=3;s=State", "state"))),
                new NodeGroup("slow-temperatures",
                        new SubscriptionSettings(Duration.ofMillis(250), Duration.ofMinutes(1), 5, false,
                                new Deadband(Deadband.Type.PERCENT, 2)),
                        List.of(new OpcUaNode("ns=3;s=Oven.Temperature", "oven"))));
    }

    @Test
    void defaultsApply_whenNoSettingIsGiven() throws IOException {
        write("line2.yaml", "endpoint: opc.tcp://10.0.0.5:4840\nnodes: [ns=3;s=Speed]\n");

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.groups().get(0).settings()).isEqualTo(new SubscriptionSettings(
                Duration.ofMillis(500), Duration.ofSeconds(1), 2, true, Deadband.NONE));
        assertThat(connection.handoff()).isEqualTo(new HandoffSettings(100_000, WhenFull.BLOCK, 1_000));
    }

    @Test
    void groupsAlone_areEnough_withoutTopLevelNodes() throws IOException {
        write("line2.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                groups:
                  - name: fast
                    nodes: [ns=3;s=State]
                """);

        assertThat(files.load(dir).get(0).nodes()).extracting(OpcUaNode::nodeId).containsExactly("ns=3;s=State");
    }

    @Test
    void loadFails_namingBothPlaces_whenANodeIsListedTwiceAcrossGroups() throws IOException {
        write("line2.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                nodes: [ns=3;s=Speed, ns=3;s=State]
                groups:
                  - name: fast
                    nodes: [ns=3;s=Other]
                  - name: faster
                    nodes: [ns=3;s=State]
                """);

        assertThatThrownBy(() -> files.load(dir))
                .hasMessageContaining("line2.yaml: 'groups[1].nodes[0]' 'ns=3;s=State' is already listed at 'nodes[1]'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            queue size zero        | groups[1].queue-size          | queue-size: zero              | must be a whole number >= 1, was 'zero'
            queue size 0           | groups[1].queue-size          | queue-size: 0                 | must be a whole number >= 1, was '0'
            bare milliseconds      | groups[1].sampling-interval   | sampling-interval: 500        | must be a duration with its unit, e.g. 100ms, 1s or 2m, was '500'
            zero publishing        | groups[1].publishing-interval | publishing-interval: 0s       | must be longer than 0
            bad boolean            | groups[1].discard-oldest      | discard-oldest: maybe         | must be true or false, was 'maybe'
            unknown deadband type  | groups[1].deadband.relative   | 'deadband: { relative: 1 }'   | is not a deadband type
            negative deadband      | groups[1].deadband.absolute   | 'deadband: { absolute: -1 }'  | must be a number >= 0, was '-1'
            percent over 100       | groups[1].deadband.percent    | 'deadband: { percent: 150 }'  | must be between 0 and 100
            deadband scalar        | groups[1].deadband            | deadband: 0.5                 | must be none, { absolute: <change> } or { percent: <0-100> }
            unknown group key      | groups[1].nodez               | nodez: []                     | is not a known key
            hand-off in group      | groups[1].hand-off            | 'hand-off: { capacity: 1 }'   | is not a known key
            """)
    void loadFails_namingGroupKeyAndReason(String name, String key, String line, String reason) throws IOException {
        write("line2.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                groups:
                  - name: fine
                    nodes: [ns=3;s=A]
                  - name: broken
                    nodes: [ns=3;s=B]
                    %s
                """.formatted(line));

        assertThatThrownBy(() -> files.load(dir))
                .isInstanceOf(InvalidConnectionFileException.class)
                .hasMessageContaining("line2.yaml: '" + key + "' " + reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unset variable      | password: ${NOT_SET_ANYWHERE}\\nusername: op  | password        | NOT_SET_ANYWHERE, which is not set
            username alone      | username: op                                   | password        | is required with 'username'
            not opc.tcp         | endpoint: http://10.0.0.5:4840                 | endpoint        | must be opc.tcp://
            credentials in url  | endpoint: opc.tcp://op:pw@10.0.0.5:4840        | endpoint        | must not contain credentials
            Basic128Rsa15       | security: [Basic128Rsa15]                      | security        | set allow-basic128rsa15: true
            mode without policy | security-mode: SignAndEncrypt                  | security-mode   | needs a signed policy in
            None mode, signed   | security: [Basic256Sha256]\\nsecurity-mode: None | security-mode | None goes only with security: [None]
            unknown mode        | security: [Basic256Sha256]\\nsecurity-mode: Encrypt | security-mode | must be SignAndEncrypt, Sign or None
            key without cert    | user-key: user.pem                             | user-certificate | is required with
            unreadable cert     | user-certificate: nowhere.der\\nuser-key: nowhere.pem | user-certificate | is not a readable X.509 certificate
            unknown policy      | security: Basic512                             | security        | is not an OPC UA security policy
            bare seconds        | publishing-interval: 1                         | publishing-interval | must be a duration with its unit
            hand-off capacity   | hand-off: { capacity: -5 }                     | hand-off.capacity | must be a whole number >= 1, was '-5'
            hand-off policy     | hand-off: { when-full: drop-newest }           | hand-off.when-full | must be block or drop-oldest, was 'drop-newest'
            hand-off key        | hand-off: { size: 5 }                          | hand-off.size   | is not a known key
            hand-off no workers | hand-off: { workers: 0 }                       | hand-off.workers | must be a whole number >= 1, was '0'
            hand-off workers    | hand-off: { workers: 65 }                      | hand-off.workers | must be at most 64, was 65
            groups not a list   | groups: fast                                   | groups          | must be a list of groups
            group without name  | groups: [{ nodes: [ns=3;s=X] }]                | groups[0].name  | is required
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
    void browseOnly_withoutNodes_readsRootPatternsIntervalAndTheConnectionsSettings() throws IOException {
        write("plant1.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                publishing-interval: 500ms
                browse:
                  root: Plant1
                  include: ["Plant1/Line*/M*/*"]
                  exclude: "**/Diagnostics/**"
                  interval: 5m
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.groups()).isEmpty();
        assertThat(connection.browse()).isEqualTo(new OpcUaConnection.Browse("Plant1", List.of("Plant1/Line*/M*/*"),
                List.of("**/Diagnostics/**"), Duration.ofMinutes(5), new SubscriptionSettings(
                        Duration.ofMillis(500), Duration.ofMillis(500), 2, true, Deadband.NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a mapping   | browse: Plant1                                  | browse          | must be a mapping
            unknown key     | browse: { root: Plant1, depth: 3 }              | browse.depth    | is not a known key
            bad node id     | browse: { root: "ns=x;s=Plant1" }               | browse.root     | is not a node id
            interval short  | browse: { interval: 100ms }                     | browse.interval | must be at least 1s
            pattern a map   | browse: { include: [{ a: b }] }                 | browse.include[0] | must be a browse-path pattern
            data type       | browse: { data-types: [Double, Decimal128] }     | browse.data-types[1] | is not an OPC UA built-in data type
            """)
    void browseFails_namingKeyAndReason(String name, String line, String key, String reason) throws IOException {
        write("plant1.yaml", "endpoint: opc.tcp://10.0.0.5:4840\n" + line + "\n");

        assertThatThrownBy(() -> files.load(dir))
                .isInstanceOf(InvalidConnectionFileException.class)
                .hasMessageContaining("plant1.yaml: '" + key + "'")
                .hasMessageContaining(reason)
                .hasMessageEndingWith("(line 2)");
    }

    @Test
    void staleAfter_perGroup_inheritedFromTheConnection() throws IOException {
        write("line2.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                stale-after: 10
                nodes: [ns=3;s=A]
                groups:
                  - name: slow
                    stale-after: 0
                    nodes: [ns=3;s=B]
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.groups().get(0).settings().staleAfter()).isEqualTo(10);
        assertThat(connection.groups().get(0).settings().staleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(connection.groups().get(1).settings().staleTimeout()).isNull();
    }

    @Test
    void securedConnection_readsPoliciesModeAndOptIn() throws IOException {
        write("press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                security: [Basic256Sha256, Aes256_Sha256_RsaPss, Basic128Rsa15]
                allow-basic128rsa15: true
                security-mode: SignAndEncrypt
                username: operator
                password: ${PRESS_OPCUA_PASSWORD}
                nodes: [ns=3;s=Press07.Force]
                """);

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.securityPolicies()).containsExactly("Basic256Sha256", "Aes256_Sha256_RsaPss", "Basic128Rsa15");
        assertThat(connection.security().mode()).isEqualTo("SignAndEncrypt");
        assertThat(connection.security().userCertificate()).isNull();
        assertThat(connection.needsCertificate()).isTrue();
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
    void loadFails_whenANodeIsListedTwice() throws IOException {
        write("press.yaml", """
                endpoint: opc.tcp://10.0.0.5:4840
                nodes:
                  - ns=3;s=Press07.Force
                  - node: ns=3;s=Press07.Force
                    name: force
                """);

        assertThatThrownBy(() -> files.load(dir))
                .hasMessageContaining("'nodes[1]' 'ns=3;s=Press07.Force' is already listed at 'nodes[0]'");
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
        assertThat(connection.nodes().get(0).nodeId())
                .isEqualTo("nsu=http://www.siemens.com/simatic-s7-opcua;s=\"DB_Press\".\"State\"");
    }

    // The annotated reference block in the guide must stay a valid file with the values it states.
    @Test
    void guideReferenceBlock_isValid() throws IOException {
        String guide = Files.readString(Path.of("docs/opcua-adapter.md"));
        int start = guide.indexOf("# adapters/opcua/line2.yaml");
        write("line2.yaml", guide.substring(start, guide.indexOf("```", start)));
        environment.setProperty("LINE2_OPCUA_PASSWORD", "from-env");

        OpcUaConnection connection = files.load(dir).get(0);

        assertThat(connection.handoff()).isEqualTo(HandoffSettings.DEFAULTS);
        assertThat(connection.groups().get(0).settings()).isEqualTo(new SubscriptionSettings(
                Duration.ofMillis(500), Duration.ofSeconds(1), 2, true, new Deadband(Deadband.Type.ABSOLUTE, 0.5)));
        assertThat(connection.groups().get(1).settings()).isEqualTo(new SubscriptionSettings(
                Duration.ofMillis(100), Duration.ofMillis(100), 10, true, new Deadband(Deadband.Type.ABSOLUTE, 0.5), 20));
        assertThat(connection.nodes()).hasSize(3);
        assertThat(connection.securityPolicies()).containsExactly("Basic256Sha256", "Aes256_Sha256_RsaPss");
        assertThat(connection.security().mode()).isEqualTo("SignAndEncrypt");
        assertThat(connection.browse().root()).isEqualTo("Plant1");
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
    void nodeName_isKebabCaseIdentifier(String nodeId, String expected) {
        assertThat(ConnectionFileNodes.nodeName(nodeId)).isEqualTo(expected);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
