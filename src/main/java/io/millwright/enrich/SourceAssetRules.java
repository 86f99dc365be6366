package io.millwright.enrich;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.millwright.model.AssetLookup;
import io.millwright.ops.HubDirectoriesProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Asset rules for sources whose tags are not listed one by one (Sparkplug B, MQTT):
 * {@code mappings/source-assets.yaml}, optional. A rule matches {@code <connection>/<tag>} (for
 * Sparkplug {@code <group>/<node>[/<device>]/<metric>}) with a pattern whose {@code {name}}
 * placeholders take one path segment ({@code {name...}} takes the rest, slashes included) and
 * fills the asset path and tag name templates from them; the first matching rule wins. An entry of
 * {@code assets.yaml} for the same connection and tag wins over every rule.
 *
 * <p>A tag no rule matches is still published, with the subject {@code <scheme>/<connection>}
 * (e.g. {@code sparkplug/plant-1/line-1/press-3}) and the role measurement, and is logged once as
 * unmapped ({@link #unmapped()}). The result per tag is kept, so a rule runs once per tag, not
 * once per value.
 */
@Component
public class SourceAssetRules implements AssetLookup {

    private static final Logger log = LoggerFactory.getLogger(SourceAssetRules.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)(\\.\\.\\.)?}");
    /** Source schemes whose tags are resolved by rules; every other source needs an assets.yaml entry. */
    private static final List<String> SCHEMES = List.of("sparkplug", "mqtt");

    private final Path file;
    private final AssetRegistry registry;
    private final List<Rule> rules;
    private final Map<String, AssetTag> resolved = new ConcurrentHashMap<>();
    private final Set<String> unmapped = ConcurrentHashMap.newKeySet();

    @Autowired
    public SourceAssetRules(HubDirectoriesProperties directories, AssetRegistry registry) {
        this(directories.mappings().resolve("source-assets.yaml"), registry);
    }

    /** Reads and checks a rules file (absent = no rules); throws {@link IllegalStateException} naming the problem. */
    public SourceAssetRules(Path file, AssetRegistry registry) {
        this.file = file;
        this.registry = registry;
        this.rules = Files.isRegularFile(file) ? read(file) : List.of();
        log.info("Source asset rules loaded file={} rules={}", file, rules.size());
    }

    /** Whether values of this source are resolved by rules (Sparkplug B, MQTT), not by the asset registry alone. */
    public static boolean handles(String source) {
        if (source == null) {
            return false;
        }
        for (String scheme : SCHEMES) {
            if (source.startsWith(scheme) && source.startsWith("://", scheme.length())) {
                return true;
            }
        }
        return false;
    }

    /** The asset of a rule-resolved source's tag: assets.yaml, else the first matching rule, else unmapped. */
    public AssetTag resolve(String source, String connection, String tag) {
        String key = source + '\n' + tag;
        AssetTag known = resolved.get(key);
        return known != null ? known : resolved.computeIfAbsent(key, k -> compute(source, connection, tag));
    }

    @Override
    public String assetPath(String source, String connection, String tag) {
        if (handles(source)) {
            return resolve(source, connection, tag).assetPath();
        }
        return registry.find(connection, tag).map(AssetTag::assetPath).orElse(null);
    }

    /** The tags no rule matched, as {@code <source> <tag>}, sorted. */
    public List<String> unmapped() {
        return List.copyOf(new TreeSet<>(unmapped));
    }

    public int ruleCount() {
        return rules.size();
    }

    private AssetTag compute(String source, String connection, String tag) {
        AssetTag listed = registry.find(connection, tag).orElse(null);
        if (listed != null) {
            return listed;
        }
        String scheme = source.substring(0, source.indexOf("://"));
        String key = connection + "/" + tag;
        for (Rule rule : rules) {
            if (!rule.scheme().equals(scheme)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(key);
            if (m.matches()) {
                String name = rule.name() == null ? lastSegment(tag) : fill(rule.name(), m, rule.placeholders());
                return new AssetTag(connection, tag, fill(rule.asset(), m, rule.placeholders()), rule.role(), name,
                        rule.unit(), null, null);
            }
        }
        String subject = scheme + "/" + connection;
        if (unmapped.add(source + " " + tag)) {
            log.warn("Unmapped {} tag published without asset context source={} tag={} subject={}; add a rule to {}",
                    scheme, source, tag, subject, file);
        }
        return new AssetTag(connection, tag, subject, TagRole.MEASUREMENT, lastSegment(tag), null, null, null);
    }

    private static String fill(String template, Matcher match, Set<String> placeholders) {
        String out = template;
        for (String p : placeholders) {
            String value = match.group(p);
            out = out.replace("{" + p + "}", value).replace("{" + p + "...}", value);
        }
        return out;
    }

    private static String lastSegment(String tag) {
        int cut = tag.lastIndexOf('/');
        return cut >= 0 ? tag.substring(cut + 1) : tag;
    }

    private static List<Rule> read(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        RulesFile parsed;
        try {
            parsed = yaml.readValue(file.toFile(), RulesFile.class);
        } catch (JsonMappingException e) {
            throw new IllegalStateException(file + ": " + e.getOriginalMessage() + " at " + e.getPathReference()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage(), e);
        }
        List<Rule> rules = new ArrayList<>();
        List<RuleEntry> entries = parsed == null || parsed.rules() == null ? List.of() : parsed.rules();
        for (int i = 0; i < entries.size(); i++) {
            rules.add(check(entries.get(i), file + ": rules[" + i + "]"));
        }
        return List.copyOf(rules);
    }

    static Rule check(RuleEntry e, String where) {
        if (e.source() == null || !SCHEMES.contains(e.source())) {
            throw new IllegalStateException(where + " has source '" + e.source() + "'; give one of " + SCHEMES);
        }
        if (isBlank(e.match())) {
            throw new IllegalStateException(where + " has no 'match'; add a pattern of <group>/<node>[/<device>]/<metric> "
                    + "(Sparkplug) or <source>/<topic> (MQTT) with {placeholders}, e.g. plant-1/{line}/{machine}/{metric...}");
        }
        if (isBlank(e.asset())) {
            throw new IllegalStateException(where + " (" + e.match() + ") has no 'asset'; add the ISA-95 path template, e.g. acme/springfield/{line}/{machine}");
        }
        if (isBlank(e.role())) {
            throw new IllegalStateException(where + " (" + e.match() + ") has no 'role'; add one of state, good-count, scrap-count, scrap-reason, order, operation, measurement");
        }
        TagRole role;
        try {
            role = TagRole.parse(e.role());
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(where + " (" + e.match() + "): " + ex.getMessage(), ex);
        }
        if ((role == TagRole.GOOD_COUNT || role == TagRole.SCRAP_COUNT) && isBlank(e.unit())) {
            throw new IllegalStateException(where + " (" + e.match() + "): a counter needs the unit the ERP books it in; add 'unit: PC'");
        }
        Set<String> placeholders = new LinkedHashSet<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(e.match());
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(e.match().substring(at, m.start())));
            if (!placeholders.add(m.group(1))) {
                throw new IllegalStateException(where + " (" + e.match() + "): placeholder {" + m.group(1) + "} appears twice");
            }
            regex.append("(?<").append(m.group(1)).append(m.group(2) == null ? ">[^/]+)" : ">.+)");
            at = m.end();
        }
        regex.append(Pattern.quote(e.match().substring(at)));
        for (String template : new String[] {e.asset(), e.name()}) {
            if (template == null) {
                continue;
            }
            Matcher used = PLACEHOLDER.matcher(template);
            while (used.find()) {
                if (!placeholders.contains(used.group(1))) {
                    throw new IllegalStateException(where + " (" + e.match() + "): '" + template + "' uses {" + used.group(1)
                            + "}, which the match pattern does not capture; capture it or spell the value out");
                }
            }
        }
        return new Rule(e.source(), Pattern.compile(regex.toString()), placeholders, e.asset(), role, e.name(), e.unit());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    record Rule(String scheme, Pattern pattern, Set<String> placeholders, String asset, TagRole role, String name, String unit) {}

    record RulesFile(List<RuleEntry> rules) {}

    record RuleEntry(String source, String match, String asset, String role, String name, String unit) {}
}
