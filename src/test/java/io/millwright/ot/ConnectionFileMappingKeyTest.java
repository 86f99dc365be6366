package io.millwright.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** A connection file's {@code mapping:} key (issue #6): accepted in its form, refused otherwise with file and key. */
class ConnectionFileMappingKeyTest {

    static final String CONNECTION = """
            endpoint: opc.tcp://127.0.0.1:4841/press
            nodes: [ns=2;s=Press7/State]
            """;

    @TempDir Path dir;

    private final OpcUaConnectionFiles files = new OpcUaConnectionFiles(new MockEnvironment().withProperty("press.mapping", "press"));

    @Test
    void mappingUnderTheMappingsFolderIsAccepted_withPlaceholders() throws IOException {
        Files.writeString(dir.resolve("press-line.yaml"), CONNECTION + "mapping: transform/${press.mapping}-to-signal.jsonata\n");

        assertThat(files.load(dir)).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo("press-line"));
    }

    @Test
    void mappingOutsideTheMappingsFolderOrNotJsonataIsRefused() throws IOException {
        for (String bad : new String[] {"../secrets/x.jsonata", "/etc/x.jsonata", "transform/press.xslt"}) {
            Path file = Files.writeString(dir.resolve("press-line.yaml"), CONNECTION + "mapping: " + bad + "\n");
            assertThatThrownBy(() -> files.load(dir))
                    .isInstanceOf(InvalidConnectionFileException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("must be a .jsonata file under the mappings folder")
                    .satisfies(e -> assertThat(((InvalidConnectionFileException) e).key()).isEqualTo("mapping"));
        }
    }
}
