package io.millwright.principles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * "Industry solutions" (layer 5): {@code millwright.solution=connected-factory,predictive-maintenance}
 * switches on the bundles in {@code config/solutions/<name>/} ({@code millwright.solutions-dir}). Each
 * template's settings become a property source of its own, above the configuration files and below
 * environment variables, system properties, the command line and test properties, so one setting of a
 * template can still be overridden; its alert rules are added to the hub's
 * ({@code millwright.alerting.additional-rules-files}) and its {@code routes/} folder to the hub's route
 * folders ({@code millwright.routes.additional-dirs}), each after any the configuration names. A name
 * without a folder stops the start.
 */
public class SolutionTemplates implements EnvironmentPostProcessor, Ordered {

    /** The setting that names the templates, comma-separated. */
    public static final String SETTING = "millwright.solution";
    /** Where the templates are; default {@code config/solutions}. */
    public static final String DIR_SETTING = "millwright.solutions-dir";
    /** The alerting's further rules files ({@code AlertingProperties.additionalRulesFiles}). */
    static final String RULES_FILES_SETTING = "millwright.alerting.additional-rules-files";
    /** The hub's further route folders ({@code RouteFilesProperties.additionalDirs}). */
    static final String ROUTE_DIRS_SETTING = "millwright.routes.additional-dirs";
    static final String SOURCE_PREFIX = "millwright solution template ";

    @Override
    public int getOrder() {
        // after config/application.yaml is loaded (it may name the templates)
        return ConfigDataEnvironmentPostProcessor.ORDER + 5;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply(environment);
    }

    /** Adds the property sources of the templates {@code millwright.solution} names; returns them. */
    public static List<SolutionTemplate> apply(ConfigurableEnvironment environment) {
        List<SolutionTemplate> templates = selected(environment);
        MutablePropertySources sources = environment.getPropertySources();
        String anchor = firstConfigFile(sources);
        List<String> rules = new ArrayList<>();
        List<String> routeDirs = new ArrayList<>();
        for (SolutionTemplate template : templates) {
            Map<String, Object> settings = new LinkedHashMap<>(template.settings());
            addBelowOverrides(sources, anchor, new MapPropertySource(SOURCE_PREFIX + template.name(), settings));
            if (template.alertRules() != null) {
                rules.add(template.alertRules().toString());
            }
            if (template.routes() != null) {
                routeDirs.add(template.routes().toString());
            }
        }
        appendToList(environment, RULES_FILES_SETTING, rules, "alert rules");
        appendToList(environment, ROUTE_DIRS_SETTING, routeDirs, "route folders");
        return templates;
    }

    /**
     * Appends the templates' entries to a list setting, after those the configuration names wherever
     * it names them. The whole list goes into a source of its own, first: a list binds from one
     * property source only, so one lower down would lose the command line's entries or be lost
     * under the configuration file's.
     */
    private static void appendToList(ConfigurableEnvironment environment, String key, List<String> additions, String what) {
        if (additions.isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>(Binder.get(environment).bind(key, Bindable.listOf(String.class)).orElse(List.of()));
        all.addAll(additions);
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            entries.put(key + "[" + i + "]", all.get(i));
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_PREFIX + what, entries));
    }

    private static void addBelowOverrides(MutablePropertySources sources, String anchor, PropertySource<?> source) {
        if (anchor == null) {
            sources.addLast(source);
        } else {
            sources.addBefore(anchor, source);
        }
    }

    /** The templates {@code millwright.solution} names, read from their folders. */
    public static List<SolutionTemplate> selected(ConfigurableEnvironment environment) {
        String names = environment.getProperty(SETTING, "").trim();
        if (names.isEmpty()) {
            return List.of();
        }
        Path dir = Path.of(environment.getProperty(DIR_SETTING, "config/solutions"));
        List<SolutionTemplate> templates = new ArrayList<>();
        for (String name : names.split("\\s*,\\s*")) {
            if (name.isEmpty() || templates.stream().anyMatch(t -> t.name().equals(name))) {
                continue;
            }
            Path folder = dir.resolve(name);
            if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*") || !Files.isDirectory(folder)) {
                throw new IllegalStateException(SETTING + ": '" + name + "' is not a solution template; "
                        + dir + " holds " + available(dir));
            }
            templates.add(SolutionTemplate.read(folder));
        }
        return List.copyOf(templates);
    }

    /** The template names in {@code dir}. */
    static List<String> available(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(p -> Files.isRegularFile(p.resolve(SolutionTemplate.FILE)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The highest-ranked property source of a configuration file (application.yaml and its profiles). */
    private static String firstConfigFile(MutablePropertySources sources) {
        for (PropertySource<?> source : sources) {
            if (source.getName().startsWith("Config resource")) {
                return source.getName();
            }
        }
        return null;
    }
}
