package io.millwright.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.FileSystemUtils;

/** Routings and bills of material from PLM become ideal cycle times and BOMs in mappings/, all or nothing. */
class PlmImportTest {

    @TempDir
    Path mappings;

    private PlmImport plm;

    @BeforeEach
    void shippedMappings() throws IOException {
        Files.copy(Path.of("mappings/ideal-cycle-times.yaml"), mappings.resolve("ideal-cycle-times.yaml"));
        FileSystemUtils.copyRecursively(Path.of("mappings/lookups"), mappings.resolve("lookups"));
        plm = new PlmImport(mappings);
    }

    private JsonNode yaml(Path file) throws IOException {
        return new YAMLMapper().readTree(file.toFile());
    }

    @Test
    void routingCsv_setsIdealCycleTimesPerOrder_keepingTheRest() throws IOException {
        PlmImport.Result result = plm.importFile("routing.csv", """
                order,operation,work_center,ideal_cycle_seconds
                1000011,0010,ASSY-1,0.25
                1000099,0010,ASSY-2,1.5
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(result.routings()).isEqualTo(2);
        JsonNode times = yaml(mappings.resolve("ideal-cycle-times.yaml"));
        assertThat(times.path("orders").path("1000011").asDouble()).isEqualTo(0.25);
        assertThat(times.path("orders").path("1000099").asDouble()).isEqualTo(1.5);
        assertThat(times.path("default").asDouble()).isEqualTo(0.2);
        assertThat(Files.readString(mappings.resolve("ideal-cycle-times.yaml")))
                .startsWith("# Ideal cycle times for OEE");
    }

    @Test
    void bomCsv_setsPartAndComponents_keepingSalesOrderAndCustomer() throws IOException {
        plm.importFile("bom.csv", """
                order;material;component;quantity;unit
                1000011;FG-PUMP-110;RM-HOUSING-11;1;PC
                1000011;FG-PUMP-110;RM-SCREW-M4;8;pc
                1000011;FG-PUMP-110;RM-GREASE;0.02;KG
                """.getBytes(StandardCharsets.UTF_8));

        JsonNode order = yaml(mappings.resolve("lookups/orders.yaml")).path("1000011");
        assertThat(order.path("material").asText()).isEqualTo("FG-PUMP-110");
        assertThat(order.path("salesOrder").asText()).isEqualTo("SO-4711");
        assertThat(order.path("components")).hasSize(3);
        assertThat(order.path("components").get(1).path("quantity").asInt()).isEqualTo(8);
        assertThat(order.path("components").get(1).path("unit").asText()).isEqualTo("PC");
        assertThat(order.path("components").get(2).path("quantity").asDouble()).isEqualTo(0.02);
        assertThat(yaml(mappings.resolve("lookups/orders.yaml")).path("1000021").path("material").asText())
                .isEqualTo("FG-VALVE-10");
    }

    @Test
    void json_importsRoutingsAndBoms() throws IOException {
        PlmImport.Result result = plm.importFile("plm-export.json", """
                {"routings": [{"order": "2000001", "idealCycleSeconds": 3.2}],
                 "boms": [{"order": "2000001", "material": "FG-GEAR-5",
                           "components": [{"material": "RM-STEEL-5", "quantity": 2, "unit": "KG"}]}]}
                """.getBytes(StandardCharsets.UTF_8));

        assertThat(result).isEqualTo(new PlmImport.Result(1, 1));
        assertThat(yaml(mappings.resolve("ideal-cycle-times.yaml")).path("orders").path("2000001").asDouble()).isEqualTo(3.2);
        assertThat(yaml(mappings.resolve("lookups/orders.yaml")).path("2000001").path("components").get(0)
                .path("material").asText()).isEqualTo("RM-STEEL-5");
    }

    @Test
    void oneBadRow_rejectsTheWholeFile_namingLineColumnAndReason() throws IOException {
        String before = Files.readString(mappings.resolve("ideal-cycle-times.yaml"));

        assertThatThrownBy(() -> plm.importFile("routing.csv", """
                order,ideal_cycle_seconds
                1000011,0.25
                1000012,-1
                """.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("routing.csv line 3 column ideal_cycle_seconds: must be a number above 0, not '-1'");
        assertThat(Files.readString(mappings.resolve("ideal-cycle-times.yaml"))).isEqualTo(before);

        assertThatThrownBy(() -> plm.importFile("bom.csv", "order,material,component,quantity,unit\n1000011,FG,RM,1,PIECES\n"
                .getBytes(StandardCharsets.UTF_8))).hasMessage("bom.csv line 2 column unit: a unit of measure is 1 to 3 letters (e.g. PC, KG), not 'PIECES'");
        assertThatThrownBy(() -> plm.importFile("x.csv", "part,time\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("x.csv line 1 column (header): must be a routing (order,ideal_cycle_seconds) or a bill of material");
        assertThatThrownBy(() -> plm.importFile("routing.csv", "order,ideal_cycle_seconds\n1000011,1\n1000011,2\n"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("line 3 column order: order 1000011 has a cycle time on line 2 already");
        assertThatThrownBy(() -> plm.importFile("e.json", "{\"boms\":[{\"order\":\"1\",\"material\":\"FG\",\"components\":[{\"material\":\"RM\",\"quantity\":0,\"unit\":\"PC\"}]}]}"
                .getBytes(StandardCharsets.UTF_8))).hasMessage("e.json field boms[0].components[0].quantity: must be a number above 0, not '0'");
    }

    @Test
    void droppedFiles_importedOrMovedAsideWithTheirReason() throws Exception {
        Path inbox = mappings.resolve("inbox/plm");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new PlmImportRoute(plm, inbox));
            camel.start();

            Files.writeString(inbox.resolve("routing.csv"), "order,ideal_cycle_seconds\n1000013,0.4\n");
            Files.writeString(inbox.resolve("broken.csv"), "order,ideal_cycle_seconds\n1000013,fast\n");

            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(inbox.resolve(".failed/broken.csv"))
                    && yaml(mappings.resolve("ideal-cycle-times.yaml")).path("orders").has("1000013"));
            assertThat(yaml(mappings.resolve("ideal-cycle-times.yaml")).path("orders").path("1000013").asDouble()).isEqualTo(0.4);
            assertThat(Files.readString(inbox.resolve(".failed/broken.csv.reason.txt")))
                    .contains("broken.csv line 2 column ideal_cycle_seconds: must be a number above 0, not 'fast'");
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (var imported = Files.list(inbox.resolve(".imported"))) {
                    return imported.anyMatch(f -> f.getFileName().toString().endsWith("-routing.csv"));
                }
            });
        }
    }

    @Test
    void importedBom_reachesTheScmConnectorsMapping_withoutARestart() throws Exception {
        FileSystemUtils.copyRecursively(Path.of("mappings/connectors"), mappings.resolve("connectors"));
        FileSystemUtils.copyRecursively(Path.of("mappings/transform/connectors"), mappings.resolve("transform/connectors"));
        MockEnvironment environment = new MockEnvironment().withProperty("MILLWRIGHT_SCM_ENABLED", "true")
                .withProperty("MILLWRIGHT_SCM_CLIENT_SECRET", "x");
        Connectors connectors = new Connectors(new ConnectorFiles(mappings, environment), new ObjectMapper(), new SimpleMeterRegistry());
        ConnectorMapping scm = connectors.running().get(0).mapping();
        Map<String, Object> event = scm.input(("{\"id\":\"e1\",\"data\":{\"orderId\":\"1000011\",\"counter\":\"GOOD\",\"delta\":2}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(new ObjectMapper().readTree(scm.map(event)).path("items")).hasSize(2);

        plm.importFile("bom.csv", "order,material,component,quantity,unit\n1000011,FG-PUMP-110,RM-CASE-1,1,PC\n"
                .getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(scm.accepts(event)).isTrue();
            JsonNode body = new ObjectMapper().readTree(scm.map(event));
            assertThat(body.path("product").asText()).isEqualTo("FG-PUMP-110");
            assertThat(body.path("items")).hasSize(1);
            assertThat(body.path("items").get(0).path("quantity").asInt()).isEqualTo(2);
        });
    }
}
