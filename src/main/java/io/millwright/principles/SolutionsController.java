package io.millwright.principles;

import java.util.List;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/solutions}: the solution templates switched on, and those that could be. */
@RestController
class SolutionsController {

    private final ConfigurableEnvironment environment;

    SolutionsController(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /** One template as the API shows it: the settings' keys, not their values; its alert rules file and route folder. */
    record Solution(String name, String description, List<String> enables, List<String> panels, List<String> settings,
            String alertRules, String routes) {}

    @GetMapping("/api/solutions")
    Map<String, Object> solutions() {
        List<Solution> active = SolutionTemplates.selected(environment).stream()
                .map(t -> new Solution(t.name(), t.description(), t.enables(), t.panels(),
                        t.settings().keySet().stream().sorted().toList(),
                        t.alertRules() == null ? null : t.alertRules().toString(),
                        t.routes() == null ? null : t.routes().toString()))
                .toList();
        String dir = environment.getProperty(SolutionTemplates.DIR_SETTING, "config/solutions");
        return Map.of("active", active, "available", SolutionTemplates.available(java.nio.file.Path.of(dir)));
    }
}
