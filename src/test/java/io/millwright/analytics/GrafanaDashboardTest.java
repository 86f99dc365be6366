package io.millwright.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code config/grafana/} asks only what the hub answers: every panel's
 * request is one of the analytics or alert APIs with the parameters it takes, and every field it
 * reads is a field of that answer (the records the controllers return).
 */
class GrafanaDashboardTest {

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "/api/timeseries", components(RollupStore.Point.class),
            "/api/kpi/oee", components(OeeService.Answer.class),
            "/api/alerts", components(alertRecord()));
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "/api/timeseries", Set.of("asset", "tag", "from", "to", "step"),
            "/api/kpi/oee", Set.of("asset", "from", "to", "shift"),
            "/api/alerts", Set.of("state", "limit"));
    private static final Map<String, String> ROOTS = Map.of("/api/timeseries", "points", "/api/kpi/oee", "", "/api/alerts", "alerts");

    @Test
    void everyPanelAsksTheHubForWhatItAnswers() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config/grafana/millwright-analytics.json").toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("millwright-analytics");
        List<String> checked = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("type").asText()).isEqualTo("yesoreyeram-infinity-datasource");
                String url = target.path("url").asText();
                String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
                assertThat(FIELDS).as(panel.path("title").asText()).containsKey(path);
                Set<String> parameters = Arrays.stream(url.substring(url.indexOf('?') + 1).split("&"))
                        .map(p -> p.substring(0, p.indexOf('='))).collect(Collectors.toSet());
                assertThat(PARAMETERS.get(path)).as(url).containsAll(parameters);
                assertThat(target.path("root_selector").asText()).as(url).isEqualTo(ROOTS.get(path));
                for (JsonNode column : target.path("columns")) {
                    assertThat(FIELDS.get(path)).as(url).contains(column.path("selector").asText());
                }
                checked.add(path);
            }
        }
        assertThat(checked).contains("/api/timeseries", "/api/kpi/oee", "/api/alerts");
    }

    /**
     * What Grafana's import needs, checked without a Grafana (none is packaged for Debian here): unique
     * panel ids, panels on the 24-column grid without overlapping, only core panel types, every
     * {@code ${variable}} defined (a dashboard variable, an import input or a Grafana global), every
     * data source the datasource variable of the required plugin, and each custom variable's current
     * value one of its options.
     */
    @Test
    void theDashboardIsWellFormedForGrafanasImport() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config/grafana/millwright-analytics.json").toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion: data sources as {type, uid}").isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("title").asText()).isNotBlank();

        Map<String, JsonNode> variables = new java.util.LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(variable -> variables.put(variable.path("name").asText(), variable));
        Set<String> inputs = new java.util.HashSet<>();
        dashboard.path("__inputs").forEach(input -> inputs.add(input.path("name").asText()));
        Set<String> required = new java.util.HashSet<>();
        dashboard.path("__requires").forEach(requirement -> required.add(requirement.path("id").asText()));
        inputs.forEach(input -> assertThat(required).as("__inputs " + input + "'s plugin in __requires").contains(
                java.util.stream.StreamSupport.stream(dashboard.path("__inputs").spliterator(), false)
                        .filter(i -> i.path("name").asText().equals(input)).findFirst().orElseThrow().path("pluginId").asText()));

        java.util.regex.Matcher used = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(dashboard.toString());
        Set<String> globals = Set.of("__from", "__to", "__interval", "__interval_ms", "__range", "__dashboard", "__user", "__org");
        while (used.find()) {
            String name = used.group(1);
            assertThat(variables.containsKey(name) || inputs.contains(name) || globals.contains(name))
                    .as("${" + name + "} is a dashboard variable, an import input or a Grafana global").isTrue();
        }
        for (JsonNode variable : variables.values()) {
            if (variable.path("type").asText().equals("custom")) {
                List<String> options = Arrays.stream(variable.path("query").asText().split(",")).map(String::strip).toList();
                assertThat(options).as("variable " + variable.path("name").asText() + "'s current value")
                        .contains(variable.path("current").path("value").asText());
            }
            if (variable.path("type").asText().equals("datasource")) {
                assertThat(required).as("datasource variable's plugin in __requires").contains(variable.path("query").asText());
            }
        }

        Set<Integer> ids = new java.util.HashSet<>();
        List<int[]> cells = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of " + title + " unique").isTrue();
            assertThat(panel.path("type").asText()).as(title).isIn("stat", "timeseries", "table", "gauge", "bargauge", "text");
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt(-1);
            int y = grid.path("y").asInt(-1);
            int w = grid.path("w").asInt();
            int h = grid.path("h").asInt();
            assertThat(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24).as(title + " on the 24-column grid: " + grid).isTrue();
            for (int[] other : cells) {
                boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                assertThat(overlap).as(title + " overlaps another panel").isFalse();
            }
            cells.add(new int[] {x, y, w, h});
            List<JsonNode> sources = new ArrayList<>(List.of(panel.path("datasource")));
            panel.path("targets").forEach(target -> sources.add(target.path("datasource")));
            for (JsonNode source : sources) {
                String uid = source.path("uid").asText();
                assertThat(uid).as(title + "'s data source: the datasource variable").matches("\\$\\{[A-Za-z_]+}");
                JsonNode variable = variables.get(uid.substring(2, uid.length() - 1));
                assertThat(variable).as(title + "'s data source " + uid).isNotNull();
                assertThat(variable.path("type").asText()).isEqualTo("datasource");
                assertThat(source.path("type").asText()).isEqualTo(variable.path("query").asText());
            }
            assertThat(panel.path("targets").size()).as(title + " has a query").isPositive();
        }
        assertThat(ids).hasSize(8);
    }

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
    }

    private static Class<?> alertRecord() {
        try {
            return Class.forName("io.millwright.alerting.AlertStore$StoredAlert");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
