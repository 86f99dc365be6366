package io.millwright.principles;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One solution template, {@code config/solutions/<name>/}: its {@code solution.yaml} (what it is
 * for, what it enables, the dashboard panels it features, the settings it sets) and, when present,
 * its {@code alert-rules.yaml} and its {@code routes/} folder of Camel YAML flows (loaded and watched
 * like {@code routes/}, with the same checks).
 *
 * @param name the folder's name, as written in {@code millwright.solution}
 * @param description what the template is for, one paragraph
 * @param enables what it switches on, one line each
 * @param panels the dashboard panels it features
 * @param settings the hub settings it sets (key -> value)
 * @param alertRules its alert rules file, or null
 * @param routes its folder of route files ({@code routes/}), or null
 */
public record SolutionTemplate(String name, String description, List<String> enables, List<String> panels,
        Map<String, String> settings, Path alertRules, Path routes) {

    /** The file's name in a template's folder. */
    static final String FILE = "solution.yaml";
    static final String ALERT_RULES = "alert-rules.yaml";
    static final String ROUTES = "routes";
    /** Dashboard panels a template may feature (the sections of {@code /dashboard}). */
    static final List<String> PANELS = List.of("plant", "alerts", "oee", "health", "erp", "maturity", "outcomes");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @JsonIgnoreProperties(ignoreUnknown = false)
    record File(String description, List<String> enables, List<String> panels, Map<String, Object> settings) {}

    /** Reads the template in {@code folder}; a broken file names itself, the field and the reason. */
    static SolutionTemplate read(Path folder) {
        String name = folder.getFileName().toString();
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("solution template '" + name + "': " + file + " does not exist");
        }
        File raw;
        try {
            raw = YAML.readValue(file.toFile(), File.class);
        } catch (IOException e) {
            throw new IllegalStateException("solution template '" + name + "': " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (raw == null || raw.description() == null || raw.description().isBlank()) {
            throw new IllegalStateException(file + ": 'description' is required: what the template is for");
        }
        List<String> panels = raw.panels() == null ? List.of() : List.copyOf(raw.panels());
        for (String panel : panels) {
            if (!PANELS.contains(panel)) {
                throw new IllegalStateException(file + ": panel '" + panel + "' is not a dashboard panel; use one of " + PANELS);
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (raw.settings() != null) {
            raw.settings().forEach((key, value) -> {
                if (!key.startsWith("millwright.")) {
                    throw new IllegalStateException(file + ": setting '" + key + "' is not a millwright.* setting");
                }
                if (value instanceof Map<?, ?> || value instanceof List<?>) {
                    throw new IllegalStateException(file + ": setting '" + key + "' must be one value, written as key: value");
                }
                settings.put(key, String.valueOf(value));
            });
        }
        Path rules = folder.resolve(ALERT_RULES);
        Path routes = folder.resolve(ROUTES);
        return new SolutionTemplate(name, raw.description().trim(), raw.enables() == null ? List.of() : List.copyOf(raw.enables()),
                panels, Map.copyOf(settings), Files.isRegularFile(rules) ? rules : null, Files.isDirectory(routes) ? routes : null);
    }
}
