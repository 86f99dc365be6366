package io.millwright.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.FileSystemUtils;

/** A connector file with a mistake is rejected naming file, key and reason; the shipped ones load switched off. */
class ConnectorFilesTest {

    @TempDir
    Path mappings;

    private final MockEnvironment environment = new MockEnvironment().withProperty("CRM_SECRET", "s3cret");

    @BeforeEach
    void mapping() throws IOException {
        Files.createDirectories(mappings.resolve("connectors"));
        Files.writeString(mappings.resolve("to-crm.jsonata"), "{ \"order\": data.orderId }");
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(mappings.resolve("connectors").resolve(name), yaml);
    }

    private ConnectorDefinition read(Path file) {
        return new ConnectorFiles(mappings, environment).read(file);
    }

    private static final String VALID = """
            system: CRM
            outcome: predictability
            on: [order-completed]
            mapping: to-crm.jsonata
            request: { method: put, url: "http://crm.example:8080/orders" }
            auth: { type: basic, username: hub, password: "${CRM_SECRET}" }
            retry: { attempts: 4, delay: 2s }
            """;

    @Test
    void validFileRead_withSecretFromTheEnvironment() throws IOException {
        ConnectorDefinition crm = read(write("crm-orders.yaml", VALID));

        assertThat(crm.name()).isEqualTo("crm-orders");
        assertThat(crm.request().method()).isEqualTo("PUT");
        assertThat(crm.auth().secret()).isEqualTo("s3cret");
        assertThat(crm.auth().toString()).doesNotContain("s3cret");
        assertThat(crm.retry().attempts()).isEqualTo(4);
        assertThat(crm.retry().delay()).hasSeconds(2);
        assertThat(crm.deliverEndpoint()).isEqualTo("direct:connector-crm-orders-deliver");
    }

    @Test
    void secretWrittenInTheFile_rejected() throws IOException {
        Path file = write("crm.yaml", VALID.replace("\"${CRM_SECRET}\"", "plain-text-pw"));

        assertThatThrownBy(() -> read(file)).isInstanceOf(InvalidConnectorFileException.class)
                .hasMessage("Connector file rejected file=" + file + " key=auth.password reason=must be an environment "
                        + "reference like ${MILLWRIGHT_CRM_SECRET}; a secret is never written in a file");
    }

    @Test
    void secretMissingFromTheEnvironment_rejectedNamingTheVariable() throws IOException {
        Path file = write("crm.yaml", VALID.replace("CRM_SECRET", "CRM_UNSET_SECRET"));

        assertThatThrownBy(() -> read(file)).hasMessageContaining("key=auth.password")
                .hasMessageContaining("CRM_UNSET_SECRET");
    }

    @Test
    void unknownKey_rejectedListingTheKnownOnes() throws IOException {
        Path file = write("crm.yaml", VALID.replace("retry:", "retries:"));

        assertThatThrownBy(() -> read(file)).hasMessageContaining("key=retries reason=unknown key; known keys here are [auth,");
    }

    @Test
    void unknownEventType_rejectedListingTheKnownOnes() throws IOException {
        Path file = write("crm.yaml", VALID.replace("[order-completed]", "[order-finished]"));

        assertThatThrownBy(() -> read(file)).hasMessageContaining("key=on reason='order-finished' is not an event type; known: [")
                .hasMessageContaining("order-completed");
    }

    @Test
    void missingMappingFile_rejected() throws IOException {
        Path file = write("crm.yaml", VALID.replace("to-crm.jsonata", "nowhere.jsonata"));

        assertThatThrownBy(() -> read(file)).hasMessageContaining("key=mapping reason=file ")
                .hasMessageContaining("nowhere.jsonata does not exist");
    }

    @Test
    void mappingOutsideTheMappingsFolder_rejected() throws IOException {
        Path file = write("crm.yaml", VALID.replace("to-crm.jsonata", "../../etc/passwd"));

        assertThatThrownBy(() -> read(file)).hasMessageContaining("key=mapping reason=must be a file inside the mappings folder");
    }

    @Test
    void badValues_rejectedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> read(write("a.yaml", VALID.replace("method: put", "method: GET"))))
                .hasMessageContaining("key=request.method reason='GET' is not one of [PATCH, POST, PUT]");
        assertThatThrownBy(() -> read(write("b.yaml", VALID.replace("http://crm.example:8080/orders", "ftp://crm"))))
                .hasMessageContaining("key=request.url reason=must start with http:// or https://");
        assertThatThrownBy(() -> read(write("c.yaml", VALID.replace("delay: 2s", "delay: soon"))))
                .hasMessageContaining("key=retry.delay reason=must be a duration like 500ms, 10s or 2m, not 'soon'");
        assertThatThrownBy(() -> read(write("d.yaml", VALID.replace("type: basic", "type: kerberos"))))
                .hasMessageContaining("key=auth.type reason='kerberos' is not one of [api-key, basic, none, oauth2-client-credentials]");
        assertThatThrownBy(() -> read(write("e.yaml", VALID.replace("outcome: predictability", "outcome: happiness"))))
                .hasMessageContaining("key=outcome reason='happiness' is not one of");
        assertThatThrownBy(() -> read(write("f.yaml", VALID.replace("on: [order-completed]", "on: [order-completed"))))
                .hasMessageContaining("key=(syntax)").hasMessageContaining("line");
        assertThatThrownBy(() -> read(write("Bad_Name.yaml", VALID)))
                .hasMessageContaining("key=(file name) reason=must be lower-case words joined by '-'");
    }

    @Test
    void jsonataThatDoesNotCompile_rejectedWhenLoaded() throws IOException {
        Files.writeString(mappings.resolve("to-crm.jsonata"), "{ \"order\": data.orderId ");
        Path file = write("crm.yaml", VALID);

        Connectors connectors = new Connectors(new ConnectorFiles(mappings, environment), new ObjectMapper(), new SimpleMeterRegistry());

        assertThat(connectors.running()).isEmpty();
        assertThat(connectors.rejected().get(file)).contains("key=mapping reason=JSONata does not compile");
    }

    @Test
    void oneRejectedFile_leavesTheOthersRunning() throws IOException {
        write("good.yaml", VALID);
        Path bad = write("bad.yaml", VALID.replace("on: [order-completed]", "on: []"));

        Connectors connectors = new Connectors(new ConnectorFiles(mappings, environment), new ObjectMapper(), new SimpleMeterRegistry());

        assertThat(connectors.running()).extracting(r -> r.definition().name()).containsExactly("good");
        assertThat(connectors.rejected()).containsOnlyKeys(bad);
        assertThat(connectors.describe()).anySatisfy(m -> assertThat(m).containsEntry("state", "rejected")
                .containsEntry("file", bad.toString()));
    }

    @Test
    void shippedConnectors_loadSwitchedOffWithoutTheirSecrets() throws IOException {
        Path shipped = mappings.resolve("shipped");
        FileSystemUtils.copyRecursively(Path.of("mappings"), shipped);

        Connectors connectors = new Connectors(new ConnectorFiles(shipped, new MockEnvironment()), new ObjectMapper(),
                new SimpleMeterRegistry());

        assertThat(connectors.rejected()).isEmpty();
        assertThat(connectors.running()).isEmpty();
        assertThat(connectors.describe()).extracting(m -> m.get("name"))
                .containsExactlyInAnyOrder("crm-order-status", "plm-nonconformance", "scm-replenishment");
        assertThat(connectors.describe()).allSatisfy(m -> assertThat(m).containsEntry("state", "disabled"));
    }
}
