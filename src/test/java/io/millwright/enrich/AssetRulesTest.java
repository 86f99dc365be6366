package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.millwright.model.MachineState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asset mapping by rules: a plant of 1,000 nodes mapped by two rules (one on the node id as
 * readings carry it today, one on the browse path discovery hands over), explicit entries winning
 * over rules, discovered nodes no rule maps reported once, and rule files checked with file and line.
 */
class AssetRulesTest {

    static final String CONNECTION = "plant1";
    static final String REGISTRY = """
            assets:
              # explicit entry: wins over the rule that would map this node too
              - path: acme/plant1/line-1/m1-special
                connection: plant1
                operation: "0030"
                tags:
                  - { node: "ns=2;s=Plant1/Line1/M1/GoodCount", role: good-count, unit: PC }
              # context only, for an asset the rules map
              - path: acme/plant1/line-2/m7
                connection: plant1
                operation: "0010"
            """;
    static final String RULES = """
            rules:
              - connection: plant1
                node: "ns=2;s=Plant1/Line{line}/M{machine}/GoodCount"
                asset: acme/plant1/line-{line}/m{machine}
                role: good-count
                unit: PC
              - connection: plant1
                browse-path: "Plant1/Line{line}/M{machine}/State"
                asset: acme/plant1/line-{line}/m{machine}
                role: state
                name: state-m{machine}
                states: { "1": running, "2": idle, "3": down, "4": setup }
            """;

    @TempDir Path dir;

    @Test
    void twoRulesMapAThousandNodes_explicitEntriesWin() throws IOException {
        AssetRegistry registry = registry(REGISTRY, RULES);
        Set<String> assets = new HashSet<>();
        // 10 lines x 50 machines: a good-count node (string node id) and a state node (numeric node id, found by browsing)
        for (int line = 1; line <= 10; line++) {
            for (int machine = 1; machine <= 50; machine++) {
                String expected = "acme/plant1/line-" + line + "/m" + machine;
                String countNode = "ns=2;s=Plant1/Line" + line + "/M" + machine + "/GoodCount";
                AssetTag count = registry.require(CONNECTION, countNode);
                if (line == 1 && machine == 1) {
                    assertThat(count.assetPath()).isEqualTo("acme/plant1/line-1/m1-special");
                } else {
                    assertThat(count.assetPath()).isEqualTo(expected);
                    assertThat(count.role()).isEqualTo(TagRole.GOOD_COUNT);
                    assertThat(count.unit()).isEqualTo("PC");
                }
                String stateNode = "ns=2;i=" + (100_000 + line * 1000 + machine);
                String browsePath = "Plant1/Line" + line + "/M" + machine + "/State";
                AssetTag state = registry.resolve(CONNECTION, stateNode, browsePath).orElseThrow();
                assertThat(state.assetPath()).isEqualTo(expected);
                assertThat(state.role()).isEqualTo(TagRole.STATE);
                assertThat(state.name()).isEqualTo("state-m" + machine);
                // the value of a discovered node finds its entry by node id alone on the hot path
                assertThat(registry.require(CONNECTION, stateNode)).isSameAs(state);
                assertThat(registry.stateMap(CONNECTION, stateNode)).containsEntry("2", MachineState.IDLE);
                assets.add(state.assetPath());
            }
        }
        assertThat(assets).hasSize(500);
        assertThat(registry.ruleCount()).isEqualTo(2);
        // fixed context for an asset the rules map, and none for the others
        assertThat(registry.fixedContext("acme/plant1/line-2/m7").operation()).isEqualTo("0010");
        assertThat(registry.fixedContext("acme/plant1/line-2/m8")).isEqualTo(FixedContext.NONE);
        // a rule is matched once per node: the second lookup is the cached entry
        String node = "ns=2;s=Plant1/Line3/M3/GoodCount";
        assertThat(registry.require(CONNECTION, node)).isSameAs(registry.require(CONNECTION, node));
        // control: a rule for another connection does not apply, and a pattern part never spans '/'
        assertThat(registry.find("other", node)).isEmpty();
        assertThat(registry.find(CONNECTION, "ns=2;s=Plant1/Line3/Extra/M3/GoodCount")).isEmpty();
    }

    @Test
    void discoveredNodeNoRuleMapsIsReportedOnce_andItsValuesAreSkippedNotDeadLettered() throws IOException {
        AssetRegistry registry = registry(REGISTRY, RULES);
        String node = "ns=2;i=4242";
        Optional<AssetTag> none = registry.resolve(CONNECTION, node, "Plant1/Line1/M1/Humidity");
        assertThat(none).isEmpty();
        registry.resolve(CONNECTION, node, "Plant1/Line1/M1/Humidity");
        assertThat(registry.unmappedNodes()).singleElement().satisfies(n -> {
            assertThat(n.nodeId()).isEqualTo(node);
            assertThat(n.browsePath()).isEqualTo("Plant1/Line1/M1/Humidity");
        });
        assertThatThrownBy(() -> registry.require(CONNECTION, node)).isInstanceOf(UnmappedNodeException.class);
        assertThat(registry.unmappedNodes()).hasSize(1);
        var details = new AssetRegistryHealthIndicator(registry).health().getDetails();
        assertThat(details).containsEntry("unmappedNodeCount", 1);
        assertThat(details.get("unmappedNodes")).asString().contains(node).contains("Plant1/Line1/M1/Humidity");
        // a configured node that nothing maps is a mistake to fix: dead-lettered with the reason, as before
        assertThatThrownBy(() -> registry.require(CONNECTION, "ns=2;s=Nowhere"))
                .isInstanceOf(UnknownAssetException.class).hasMessageContaining("asset-rules.yaml");
    }

    @Test
    void ruleFileProblemsNameFileLineAndReason() throws IOException {
        String uncaptured = RULES.replace("asset: acme/plant1/line-{line}/m{machine}\n    role: state",
                "asset: acme/plant1/{area}/m{machine}\n    role: state");
        assertThat(uncaptured).isNotEqualTo(RULES);
        assertThatThrownBy(() -> registry(REGISTRY, uncaptured))
                .hasMessageContaining("asset-rules.yaml:9:")
                .hasMessageContaining("{area}").hasMessageContaining("does not capture");

        String both = RULES.replace("    node: \"ns=2;s=Plant1", "    browse-path: x\n    node: \"ns=2;s=Plant1");
        assertThatThrownBy(() -> registry(REGISTRY, both))
                .hasMessageContaining("asset-rules.yaml:2:").hasMessageContaining("exactly one of 'browse-path'");

        String badState = RULES.replace("\"4\": setup", "\"4\": warming");
        assertThatThrownBy(() -> registry(REGISTRY, badState))
                .hasMessageContaining("asset-rules.yaml:").hasMessageContaining("'warming'")
                .hasMessageContaining("not a machine state");
    }

    private AssetRegistry registry(String assets, String rules) throws IOException {
        Files.writeString(dir.resolve("assets.yaml"), assets);
        Files.writeString(dir.resolve("asset-rules.yaml"), rules);
        return new AssetRegistry(dir.resolve("assets.yaml"));
    }
}
