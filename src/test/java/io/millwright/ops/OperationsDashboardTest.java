package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operations dashboard {@code config/grafana/millwright-operations.json} (Prometheus data source):
 * every panel asks Prometheus for meters by name, one hub filter ({@code $instance}) applies to all.
 * Whether the hub exposes each named meter is checked against a running packaged hub's
 * {@code /actuator/prometheus} in {@code HubFailoverIT} ({@link #meterNamesMissingFrom}); a misspelt or
 * renamed meter fails there.
 */
class OperationsDashboardTest {

    static final Path DASHBOARD = Path.of("config/grafana/millwright-operations.json");

    /** A meter selector in PromQL: a name right before its label braces. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @Test
    void everyPanelQueriesNamedMetersOfOneHubFilter() throws Exception {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("millwright-operations");
        int targets = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("type").asText()).as(title).isEqualTo("prometheus");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(metersIn(expr)).as("meters named in %s: %s", title, expr).isNotEmpty();
                // each selector filters by the hub chosen at the top
                Matcher selector = SELECTOR.matcher(expr);
                while (selector.find()) {
                    assertThat(expr.substring(selector.end())).as(expr).startsWith("instance=~\"$instance\"");
                }
                targets++;
            }
        }
        assertThat(targets).as("queries on the dashboard").isGreaterThanOrEqualTo(15);
        assertThat(meterNames()).as("the capabilities an operator watches").contains(
                "millwright_routes", "millwright_ot_opcua_connected", "millwright_ot_opcua_changes_total",
                "millwright_erp_outbox_depth", "millwright_alerts_open", "jvm_memory_used_bytes");
    }

    @Test
    void meterCheckNamesWhatAScrapeLacks() {
        // control for HubFailoverIT's check: a scrape without a meter the dashboard asks for is reported
        String scrape = """
                # HELP millwright_routes Camel routes that are started
                millwright_routes{application="millwright",state="started"} 12.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
                """;
        assertThat(meterNamesMissingFrom(scrape)).contains("millwright_erp_outbox_depth")
                .doesNotContain("millwright_routes", "jvm_memory_used_bytes");
    }

    /** Every meter name the dashboard's queries and variables use. */
    static Set<String> meterNames() throws IOException {
        JsonNode dashboard = dashboard();
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(metersIn(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The dashboard's meter names that have no sample in a Prometheus scrape (text format). */
    static List<String> meterNamesMissingFrom(String scrape) {
        List<String> missing = new ArrayList<>();
        try {
            for (String name : meterNames()) {
                if (!Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find()) {
                    missing.add(name);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DASHBOARD, e);
        }
        return missing;
    }

    private static Set<String> metersIn(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }
}
