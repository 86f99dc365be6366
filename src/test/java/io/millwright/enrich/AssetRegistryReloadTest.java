package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.model.MachineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload of the asset registry and its rule file while running: a saved change is validated
 * and swapped in; an invalid file is rejected with file, line and reason, and the registry in use
 * stays as it was.
 */
class AssetRegistryReloadTest {

    static final String NODE = "ns=2;s=Press7/";
    static final String V1 = """
            assets:
              - path: acme/plant/line-3/press-7
                connection: press-line
                tags:
                  - { node: "ns=2;s=Press7/State", role: state, states: { "1": running } }
            """;
    static final String V2 = V1.replace("{ \"1\": running }", "{ \"1\": running, \"2\": idle }") + """
                  - { node: "ns=2;s=Press7/Good", role: good-count, unit: PC }
            """;
    // line 7: a role the hub does not know
    static final String INVALID = V2 + """
                  - { node: "ns=2;s=Press7/Speed", role: speed }
            """;

    @TempDir Path dir;
    AssetRegistryReloader reloader;

    @AfterEach
    void stopWatching() {
        if (reloader != null) {
            reloader.stop();
        }
    }

    @Test
    void savedChangeIsSwappedIn_invalidFileIsRejectedWithFileLineAndReason_andTheOldRegistryKept() throws IOException {
        Path file = dir.resolve("assets.yaml");
        Files.writeString(file, V1);
        AssetRegistry registry = new AssetRegistry(file);
        reloader = new AssetRegistryReloader(registry, new EnrichProperties(Map.of(), true, Duration.ofMillis(100)));
        reloader.start();
        assertThat(registry.find("press-line", NODE + "Good")).isEmpty();

        Files.writeString(file, V2);
        await("the saved registry in use").atMost(Duration.ofSeconds(30))
                .until(() -> registry.find("press-line", NODE + "Good").isPresent());
        assertThat(registry.stateMap("press-line", NODE + "State")).containsEntry("2", MachineState.IDLE);
        Instant applied = registry.lastReload().at();

        Files.writeString(file, INVALID);
        await("the invalid file rejected").atMost(Duration.ofSeconds(30))
                .until(() -> registry.lastReload().at().isAfter(applied) && !registry.lastReload().applied());
        assertThat(registry.lastReload().problem())
                .contains(file + ":7:")
                .contains("role 'speed' is not one of state, good-count");
        // ... and shows in the health details
        var health = new AssetRegistryHealthIndicator(registry).health();
        assertThat(health.getDetails().get("lastReload")).asString().contains("applied=false").contains(file + ":7:");
        assertThat(health.getDetails()).containsEntry("tags", 2);
        // the registry in use is the last valid one
        assertThat(registry.find("press-line", NODE + "Good")).isPresent();
        assertThat(registry.find("press-line", NODE + "Speed")).isEmpty();
        assertThat(registry.tagCount()).isEqualTo(2);

        // the registry fixed; then a rule file with a mistake is rejected too, and the registry in use stands
        Files.writeString(file, V2);
        await("the corrected registry taken").atMost(Duration.ofSeconds(30)).until(() -> registry.lastReload().applied());
        Instant rejected = registry.lastReload().at();
        Files.writeString(dir.resolve("asset-rules.yaml"), "rules:\n  - connection: press-line\n    node: \"ns=2;s=Press7/{x}\"\n");
        await("the invalid rule file rejected").atMost(Duration.ofSeconds(30))
                .until(() -> registry.lastReload().at().isAfter(rejected));
        assertThat(registry.lastReload().applied()).isFalse();
        assertThat(registry.lastReload().problem()).contains("asset-rules.yaml:2:").contains("has no 'asset'");
        assertThat(registry.ruleCount()).isZero();

        // the rule file fixed: taken
        Files.writeString(dir.resolve("asset-rules.yaml"), """
                rules:
                  - { connection: press-line, node: "ns=2;s=Press7/Temp{n}", asset: acme/plant/line-3/press-7, role: measurement }
                """);
        await("the corrected rules in use").atMost(Duration.ofSeconds(30))
                .until(() -> registry.lastReload().applied() && registry.ruleCount() == 1);
        assertThat(registry.find("press-line", NODE + "Temp1")).get().extracting(AssetTag::role).isEqualTo(TagRole.MEASUREMENT);
    }
}
