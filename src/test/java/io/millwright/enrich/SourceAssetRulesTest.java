package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asset rules for Sparkplug/MQTT sources: the shipped file, placeholders, precedence, unmapped, errors. */
class SourceAssetRulesTest {

    static final AssetRegistry REGISTRY = new AssetRegistry(Path.of("mappings", "assets.yaml"));
    static final String SOURCE = "sparkplug://plant-1/line-1/press-3";

    @TempDir Path dir;

    @Test
    void shippedRulesMapMetricsByPattern_multiSegmentPlaceholderIncluded() {
        var rules = new SourceAssetRules(Path.of("mappings", "source-assets.yaml"), REGISTRY);
        AssetTag count = rules.resolve(SOURCE, "plant-1/line-1/press-3", "Production/GoodCount");
        assertThat(count.assetPath()).isEqualTo("acme/springfield/assembly/line-1/press-3");
        assertThat(count.role()).isEqualTo(TagRole.GOOD_COUNT);
        assertThat(count.unit()).isEqualTo("PC");
        assertThat(count.name()).isEqualTo("good-count");
        AssetTag deep = rules.resolve(SOURCE, "plant-1/line-1/press-3", "Process/Hydraulics/Pressure");
        assertThat(deep.role()).isEqualTo(TagRole.MEASUREMENT);
        assertThat(deep.name()).isEqualTo("Hydraulics/Pressure");
        assertThat(rules.unmapped()).isEmpty();
    }

    @Test
    void unmatchedMetricGetsSparkplugSubjectAndIsListedOnce() {
        var rules = new SourceAssetRules(Path.of("mappings", "source-assets.yaml"), REGISTRY);
        AssetTag other = rules.resolve("sparkplug://plant-2/n1", "plant-2/n1", "Uptime");
        assertThat(other.assetPath()).isEqualTo("sparkplug/plant-2/n1");
        assertThat(other.role()).isEqualTo(TagRole.MEASUREMENT);
        rules.resolve("sparkplug://plant-2/n1", "plant-2/n1", "Uptime");
        assertThat(rules.unmapped()).containsExactly("sparkplug://plant-2/n1 Uptime");
        assertThat(rules.assetPath("sparkplug://plant-2/n1", "plant-2/n1", "Uptime")).isEqualTo("sparkplug/plant-2/n1");
        // an OPC UA node is the registry's: unknown there, no asset
        assertThat(rules.assetPath("opcua://plant-sim", "plant-sim", "ns=2;s=Nope")).isNull();
    }

    @Test
    void handlesOnlySparkplugAndMqttSources() {
        assertThat(SourceAssetRules.handles("sparkplug://g/n")).isTrue();
        assertThat(SourceAssetRules.handles("mqtt://line-4")).isTrue();
        assertThat(SourceAssetRules.handles("opcua://plant-sim")).isFalse();
        assertThat(SourceAssetRules.handles("sparkplugx://g")).isFalse();
    }

    @Test
    void firstMatchingRuleWins() throws IOException {
        var rules = new SourceAssetRules(write("""
                rules:
                  - { source: sparkplug, match: "g/{n}/Special", asset: "a/special", role: measurement }
                  - { source: sparkplug, match: "g/{n}/{m...}", asset: "a/{n}", role: measurement }
                """), REGISTRY);
        assertThat(rules.resolve("sparkplug://g/n1", "g/n1", "Special").assetPath()).isEqualTo("a/special");
        assertThat(rules.resolve("sparkplug://g/n1", "g/n1", "Other/X").assetPath()).isEqualTo("a/n1");
    }

    @Test
    void badRulesStopTheHubNamingFileEntryAndFix() throws IOException {
        assertThatThrownBy(() -> new SourceAssetRules(write("""
                rules:
                  - { source: sparkplug, match: "g/{n}/Count", asset: "a/{n}", role: good-count }
                """), REGISTRY)).hasMessageContaining("rules[0]").hasMessageContaining("unit");
        assertThatThrownBy(() -> new SourceAssetRules(write("""
                rules:
                  - { source: sparkplug, match: "g/{n}/X", asset: "a/{line}", role: measurement }
                """), REGISTRY)).hasMessageContaining("{line}").hasMessageContaining("does not capture");
        assertThatThrownBy(() -> new SourceAssetRules(write("""
                rules:
                  - { source: modbus, match: "x", asset: "a", role: measurement }
                """), REGISTRY)).hasMessageContaining("source 'modbus'");
        assertThatThrownBy(() -> new SourceAssetRules(write("""
                rules:
                  - { source: sparkplug, match: "x", asset: "a", role: speed }
                """), REGISTRY)).hasMessageContaining("role 'speed'");
    }

    @Test
    void absentFileMeansNoRules() {
        var rules = new SourceAssetRules(dir.resolve("none.yaml"), REGISTRY);
        assertThat(rules.ruleCount()).isZero();
        assertThat(rules.resolve("mqtt://s", "s", "t/x").assetPath()).isEqualTo("mqtt/s");
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "rules", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
