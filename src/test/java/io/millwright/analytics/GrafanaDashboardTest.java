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
