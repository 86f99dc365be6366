package io.millwright.enrich;

import io.millwright.enrich.MappingFileNodes.MappingFileException;
import io.millwright.model.MachineState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Asset mapping by rules ({@code mappings/asset-rules.yaml}): a pattern on a node's browse path or
 * on its node id -> an asset path template, role, unit. A server with 5,000 tags needs a few rules,
 * not 5,000 registry lines. Rules are compiled once per file version; the first rule that matches
 * wins, and explicit entries in {@code assets.yaml} win over every rule.
 *
 * <p>Pattern syntax: {@code {name}} captures one part of the path (one or more characters other
 * than {@code /} and {@code .}) and can be used in the templates; {@code *} matches any characters
 * within a part, {@code **} any characters across parts; everything else matches literally.
 */
final class AssetRules {

    static final String FILE_NAME = "asset-rules.yaml";

    private static final Set<String> ROOT_KEYS = Set.of("rules");
    private static final Set<String> RULE_KEYS =
            Set.of("connection", "browse-path", "node", "asset", "role", "name", "unit", "limits", "states");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** One compiled rule; {@code onBrowsePath} says which of a node's names the pattern is matched against. */
    record Rule(int line, String connection, boolean onBrowsePath, String pattern, Pattern compiled, List<String> names,
            String assetTemplate, TagRole role, String nameTemplate, String unit, Double low, Double high,
            Map<String, MachineState> states) {

        /** The registry entry of a node this rule matches, or null. */
        MappedTag apply(String nodeId, String browsePath) {
            String subject = onBrowsePath ? browsePath : nodeId;
            if (subject == null) {
                return null;
            }
            Matcher matcher = compiled.matcher(subject);
            if (!matcher.matches()) {
                return null;
            }
            String assetPath = fill(assetTemplate, matcher);
            String name = nameTemplate == null ? AssetRegistry.lastPart(nodeId) : fill(nameTemplate, matcher);
            return new MappedTag(new AssetTag(connection, nodeId, assetPath, role, name, unit, low, high), states);
        }

        private String fill(String template, Matcher matcher) {
            StringBuilder out = new StringBuilder(template.length() + 16);
            Matcher placeholders = PLACEHOLDER.matcher(template);
            int at = 0;
            while (placeholders.find()) {
                out.append(template, at, placeholders.start()).append(matcher.group(placeholders.group(1)));
                at = placeholders.end();
            }
            return out.append(template, at, template.length()).toString();
        }
    }

    private final Path file;
    private final List<Rule> rules;

    private AssetRules(Path file, List<Rule> rules) {
        this.file = file;
        this.rules = rules;
    }

    static AssetRules none(Path file) {
        return new AssetRules(file, List.of());
    }

    /** Reads and compiles a rule file; an absent file holds no rules. Throws {@link MappingFileException}. */
    static AssetRules read(Path file) {
        if (!Files.exists(file)) {
            return none(file);
        }
        MappingFileNodes yaml = new MappingFileNodes(file);
        Node root = yaml.read();
        if (root == null) {
            return none(file);
        }
        Map<String, Node> top = yaml.mapping(root, "the rule file", ROOT_KEYS);
        List<Rule> rules = new ArrayList<>();
        List<Node> entries = yaml.sequence(top.get("rules"), "rules");
        for (int i = 0; i < entries.size(); i++) {
            rules.add(rule(yaml, entries.get(i), "rules[" + i + "]"));
        }
        return new AssetRules(file, List.copyOf(rules));
    }

    private static Rule rule(MappingFileNodes yaml, Node node, String where) {
        Map<String, Node> entry = yaml.mapping(node, where, RULE_KEYS);
        String connection = yaml.text(entry, "connection", where);
        if (connection == null) {
            throw yaml.problem(node, where + " has no 'connection'; add the id of the connection whose nodes it maps");
        }
        String browsePath = yaml.text(entry, "browse-path", where);
        String nodePattern = yaml.text(entry, "node", where);
        if ((browsePath == null) == (nodePattern == null)) {
            throw yaml.problem(node, where + " needs exactly one of 'browse-path' (e.g. Plant1/Line{line}/M{machine}/GoodCount)"
                    + " or 'node' (e.g. ns=2;s=Plant1/Line{line}/M{machine}/GoodCount)");
        }
        String pattern = browsePath != null ? browsePath : nodePattern;
        List<String> names = new ArrayList<>();
        Pattern compiled = compile(yaml, entry.get(browsePath != null ? "browse-path" : "node"), where, pattern, names);
        String asset = yaml.text(entry, "asset", where);
        if (asset == null) {
            throw yaml.problem(node, where + " has no 'asset'; add the asset path template, e.g. acme/plant1/line-{line}/m{machine}");
        }
        checkTemplate(yaml, entry.get("asset"), where + ".asset", asset, names);
        String roleText = yaml.text(entry, "role", where);
        if (roleText == null) {
            throw yaml.problem(node, where + " has no 'role'; add one of state, good-count, scrap-count, scrap-reason, order, operation, measurement");
        }
        TagRole role;
        try {
            role = TagRole.parse(roleText);
        } catch (IllegalArgumentException e) {
            throw yaml.problem(entry.get("role"), where + ": " + e.getMessage());
        }
        String name = yaml.text(entry, "name", where);
        if (name != null) {
            checkTemplate(yaml, entry.get("name"), where + ".name", name, names);
        }
        String unit = yaml.text(entry, "unit", where);
        if ((role == TagRole.GOOD_COUNT || role == TagRole.SCRAP_COUNT) && unit == null) {
            throw yaml.problem(node, where + ": a counter needs the unit the ERP books it in; add 'unit: PC' or the order's unit");
        }
        AssetRegistryFile.Limits limits = AssetRegistryFile.limits(yaml, entry.get("limits"), where);
        Map<String, MachineState> states = AssetRegistryFile.states(yaml, entry.get("states"), where, role);
        return new Rule(MappingFileNodes.line(node), connection, browsePath != null, pattern, compiled, List.copyOf(names),
                asset, role, name, unit, limits.low(), limits.high(), states);
    }

    private static Pattern compile(MappingFileNodes yaml, Node node, String where, String pattern, List<String> names) {
        StringBuilder regex = new StringBuilder("^");
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '{') {
                int end = pattern.indexOf('}', i);
                String name = end < 0 ? "" : pattern.substring(i + 1, end);
                if (!GROUP_NAME.matcher(name).matches()) {
                    throw yaml.problem(node, where + ": '" + pattern + "' has a placeholder that is not {letters-and-digits}, e.g. {line}");
                }
                if (names.contains(name)) {
                    throw yaml.problem(node, where + ": '" + pattern + "' uses {" + name + "} twice");
                }
                names.add(name);
                regex.append("(?<").append(name).append(">[^/.]+)");
                i = end + 1;
            } else if (c == '*') {
                boolean any = i + 1 < pattern.length() && pattern.charAt(i + 1) == '*';
                regex.append(any ? ".*" : "[^/.]*");
                i += any ? 2 : 1;
            } else {
                int next = i;
                while (next < pattern.length() && pattern.charAt(next) != '{' && pattern.charAt(next) != '*') {
                    next++;
                }
                regex.append(Pattern.quote(pattern.substring(i, next)));
                i = next;
            }
        }
        return Pattern.compile(regex.append('$').toString());
    }

    private static void checkTemplate(MappingFileNodes yaml, Node node, String where, String template, List<String> names) {
        Matcher placeholders = PLACEHOLDER.matcher(template);
        Set<String> unknown = new LinkedHashSet<>();
        while (placeholders.find()) {
            if (!names.contains(placeholders.group(1))) {
                unknown.add(placeholders.group(1));
            }
        }
        if (!unknown.isEmpty()) {
            throw yaml.problem(node, where + ": '" + template + "' uses " + unknown
                    + ", which the pattern does not capture; captured: " + names);
        }
    }

    /** The first rule's entry for a node, or null when no rule maps it. */
    MappedTag resolve(String connection, String nodeId, String browsePath) {
        for (Rule rule : rules) {
            if (rule.connection().equals(connection)) {
                MappedTag tag = rule.apply(nodeId, browsePath);
                if (tag != null) {
                    return tag;
                }
            }
        }
        return null;
    }

    Path file() {
        return file;
    }

    int size() {
        return rules.size();
    }
}
