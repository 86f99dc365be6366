package io.millwright.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.enrich.AssetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, hole 2: a counter's width is declared in the asset registry and reaches the ledger's reading. */
class CounterWidthRegistryTest {

    @TempDir
    Path dir;

    Path registry(String width) throws IOException {
        return Files.writeString(dir.resolve("assets.yaml"), """
                assets:
                  - path: acme/springfield/assembly/line-1/machine-1
                    connection: line1
                    tags:
                      - { node: "ns=2;s=Good", role: good-count, unit: PC, counter-width: %s }
                      - { node: "ns=2;s=Scrap", role: scrap-count, unit: PC }
                """.formatted(width));
    }

    @Test
    void declaredWidthIsReadAndParsed_undeclaredNeverWraps() throws IOException {
        AssetRegistry assets = new AssetRegistry(registry("UInt16"));
        String good = assets.find("line1", "ns=2;s=Good").orElseThrow().counterWidth();
        String scrap = assets.find("line1", "ns=2;s=Scrap").orElseThrow().counterWidth();
        assertThat(CounterWidth.parse(good)).isEqualTo(CounterWidth.UINT16);
        assertThat(CounterWidth.parse(scrap)).isEqualTo(CounterWidth.INT64);
        assertThat(CounterWidth.parse(scrap).wraps()).isFalse();
    }

    @Test
    void unknownWidthRejectedAtLoadNamingTheTag() throws IOException {
        Path file = registry("int12");
        assertThatThrownBy(() -> new AssetRegistry(file))
                .hasMessageContaining("tags[0]")
                .hasMessageContaining("counter-width 'int12'");
    }
}
