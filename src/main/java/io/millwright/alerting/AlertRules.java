package io.millwright.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;

/**
 * The alert rules of {@code analytics-bridge/alert-rules.yaml}, read and checked: each error names
 * the file, the rule and the field.
 */
final class AlertRules {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** A condition on one field of the event: {@code data.score}, {@code subject}, ... */
    record Condition(String field, Object equals, Double above, Double below) {

        boolean matches(JsonNode event) {
            JsonNode value = event.at("/" + field.replace('.', '/'));
            if (value.isMissingNode() || value.isNull()) {
                return false;
            }
            if (equals != null && !value.asText().equals(String.valueOf(equals))) {
                return false;
            }
            if (above != null && !(value.isNumber() && value.doubleValue() > above)) {
                return false;
            }
            return below == null || (value.isNumber() && value.doubleValue() < below);
        }
    }

    /**
     * One rule.
     *
     * @param name unique, in alerts and logs
     * @param on the event type it watches (event name, e.g. {@code maintenance-request})
     * @param when the raise condition
     * @param forDuration the condition holds this long (on consecutive events of the key) before the alert is raised
     * @param severity {@code info}, {@code warning} or {@code critical}
     * @param dedup fields whose values make the alert's key: one open alert per key
     * @param clearWhen the condition that clears the open alert of the key
     */
    record Rule(String name, String on, Condition when, @JsonProperty("for") Duration forDuration, String severity,
            List<String> dedup, @JsonProperty("clear-when") Condition clearWhen) {}

    /** A rule as written: {@code for} as text ({@code 10s}, {@code 5m}), like every duration in the hub's settings. */
    record RawRule(String name, String on, Condition when, @JsonProperty("for") String forText, String severity,
            List<String> dedup, @JsonProperty("clear-when") Condition clearWhen) {}

    record File(List<RawRule> rules) {}

    static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    private AlertRules() {}

    static List<Rule> read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("alert rules: " + path + " does not exist");
        }
        File file;
        try {
            file = YAML.readValue(path.toFile(), File.class);
        } catch (IOException e) {
            throw new IllegalStateException("alert rules: " + path + " cannot be read: " + e.getMessage(), e);
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (file == null || file.rules() == null) {
            return rules;
        }
        for (int i = 0; i < file.rules().size(); i++) {
            RawRule rule = file.rules().get(i);
            String where = "alert rules: " + path + " rules[" + i + "]" + (rule.name() == null ? "" : " '" + rule.name() + "'");
            require(rule.name(), where, "name");
            require(rule.on(), where, "on");
            if (!rule.on().matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalStateException(where + ": 'on' '" + rule.on() + "' must be an event name such as maintenance-request");
            }
            if (!names.add(rule.name())) {
                throw new IllegalStateException(where + ": the name is used by another rule");
            }
            checkCondition(rule.when(), where, "when");
            checkCondition(rule.clearWhen(), where, "clear-when");
            if (rule.severity() == null || !SEVERITIES.contains(rule.severity().toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(where + ": 'severity' '" + rule.severity() + "' must be one of " + SEVERITIES);
            }
            Duration forDuration;
            try {
                forDuration = rule.forText() == null || rule.forText().isBlank()
                        ? Duration.ZERO : DurationStyle.detectAndParse(rule.forText().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": 'for' '" + rule.forText() + "' is not a duration such as 30s or 5m");
            }
            if (forDuration.isNegative()) {
                throw new IllegalStateException(where + ": 'for' must not be negative");
            }
            rules.add(new Rule(rule.name(), rule.on(), rule.when(), forDuration,
                    rule.severity().toLowerCase(Locale.ROOT), rule.dedup() == null ? List.of("subject") : List.copyOf(rule.dedup()),
                    rule.clearWhen()));
        }
        return rules;
    }

    private static void checkCondition(Condition condition, String where, String field) {
        if (condition == null) {
            throw new IllegalStateException(where + ": '" + field + "' is required: {field: data.status, equals: OPEN} or above/below a number");
        }
        require(condition.field(), where, field + ".field");
        if (condition.equals() == null && condition.above() == null && condition.below() == null) {
            throw new IllegalStateException(where + ": '" + field + "' needs equals, above or below");
        }
    }

    private static void require(String value, String where, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(where + ": '" + field + "' is required");
        }
    }
}
