package io.millwright.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Quality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry name of a tag travels in the signal event ({@code data.name}), whether the tag is
 * named in {@code assets.yaml} or by an asset rule: the side routes (rollups, anomalies) use it
 * and never read the registry files themselves.
 */
class SignalEnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void registryNameFromAnEntryOrARuleIsCarriedInTheSignalJson() throws Exception {
        Files.writeString(dir.resolve("assets.yaml"), """
                assets:
                  - path: acme/plant1/line-1/m1
                    connection: plant1
                    tags:
                      - { node: "ns=2;s=M1.T_PV", role: measurement, name: temperature, unit: CEL }
                      - { node: "ns=2;s=M1.Speed", role: measurement, unit: RPM }
                """);
        Files.writeString(dir.resolve("asset-rules.yaml"), """
                rules:
                  - connection: plant1
                    node: "ns=2;s=Line{line}.M{machine}.VIB_RMS"
                    asset: acme/plant1/line-{line}/m{machine}
                    role: measurement
                    name: vibration
                    unit: MMS
                """);
        AssetRegistry registry = new AssetRegistry(dir.resolve("assets.yaml"));
        SignalEnricher enricher = new SignalEnricher(registry, new SourceAssetRules(dir.resolve("source-assets.yaml"), registry));

        JsonNode byRule = JSON.valueToTree(enrich(enricher, "ns=2;s=Line2.M7.VIB_RMS", 3.5).signal());
        assertThat(byRule.path("name").asText()).isEqualTo("vibration");
        assertThat(byRule.path("tag").asText()).isEqualTo("ns=2;s=Line2.M7.VIB_RMS");
        EnrichedSignal enriched = enrich(enricher, "ns=2;s=Line2.M7.VIB_RMS", 3.5);
        assertThat(enriched.asset().assetPath()).isEqualTo("acme/plant1/line-2/m7");

        assertThat(JSON.valueToTree(enrich(enricher, "ns=2;s=M1.T_PV", 61.0).signal()).path("name").asText()).isEqualTo("temperature");
        // the flow hands enriched signals on as JSON (FlowBatches): the name survives the round trip
        EnrichedSignal back = JSON.copy().findAndRegisterModules().readValue(
                JSON.copy().findAndRegisterModules().writeValueAsBytes(enriched), EnrichedSignal.class);
        assertThat(back.signal()).isEqualTo(enriched.signal());
        assertThat(back.signal().name()).isEqualTo("vibration");
        // no name in the registry: the last part of the node id, as the registry calls it
        assertThat(JSON.valueToTree(enrich(enricher, "ns=2;s=M1.Speed", 900.0).signal()).path("name").asText()).isEqualTo("Speed");
    }

    private static EnrichedSignal enrich(SignalEnricher enricher, String node, double value) {
        return enricher.enrich(new NormalizedSignal("plant1", node, value, Quality.GOOD, "0x00000000",
                Instant.parse("2026-11-30T10:00:00Z"), "opcua://plant1"));
    }
}
