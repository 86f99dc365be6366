package io.millwright.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The alert rules the solution templates ship read, and none reuses a name of the hub's own rules. */
class SolutionAlertRulesTest {

    @Test
    void everyTemplatesRulesRead_withNamesOfTheirOwn() throws Exception {
        List<String> names = new ArrayList<>(AlertRules.read(Path.of("analytics-bridge/alert-rules.yaml")).stream()
                .map(AlertRules.Rule::name).toList());
        List<Path> files;
        try (Stream<Path> folders = Files.list(Path.of("config/solutions"))) {
            files = folders.map(f -> f.resolve("alert-rules.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSize(3);
        for (Path file : files) {
            List<AlertRules.Rule> rules = AlertRules.read(file);
            assertThat(rules).as(file.toString()).isNotEmpty();
            for (AlertRules.Rule rule : rules) {
                assertThat(names).as("%s: rule %s", file, rule.name()).doesNotContain(rule.name());
                names.add(rule.name());
            }
        }
    }
}
