package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional asset positions in the registry ({@code position: {x, y, z}}), served to mixed-reality
 * clients: read in file order, z defaults to 0, a mistake names the file, line and fix.
 */
class AssetPositionsTest {

    static final String REGISTRY = """
            assets:
              - path: acme/plant/line-3/press-7
                connection: press-line
                position: { x: 12.5, y: 4 }
                tags:
                  - { node: "ns=2;s=Press7/State", role: state }
              - path: acme/plant/line-3/oven-1
                connection: press-line
                tags:
                  - { node: "ns=2;s=Oven1/State", role: state }
            """;

    @TempDir Path dir;

    @Test
    void positionsAreReadInFileOrder_zDefaultsToZero_andAnAssetWithoutOneHasNone() throws IOException {
        Path file = Files.writeString(dir.resolve("assets.yaml"), REGISTRY);
        AssetRegistry registry = new AssetRegistry(file);
        assertThat(registry.assetPositions()).containsExactly(
                org.assertj.core.api.Assertions.entry("acme/plant/line-3/press-7", new AssetPosition(12.5, 4, 0)),
                org.assertj.core.api.Assertions.entry("acme/plant/line-3/oven-1", null));
    }

    @Test
    void aPositionWithoutYIsRejectedWithLineAndExample() throws IOException {
        Path file = Files.writeString(dir.resolve("assets.yaml"), REGISTRY.replace("{ x: 12.5, y: 4 }", "{ x: 12.5 }"));
        assertThatThrownBy(() -> new AssetRegistry(file))
                .hasMessageContaining("assets.yaml:4")
                .hasMessageContaining("position needs x and y")
                .hasMessageContaining("{ x: 12.5, y: 4, z: 0 }");
    }

    @Test
    void aPositionThatIsNotANumberIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("assets.yaml"), REGISTRY.replace("y: 4", "y: near-the-door"));
        assertThatThrownBy(() -> new AssetRegistry(file)).hasMessageContaining("position.y must be a number, was 'near-the-door'");
    }
}
