package io.millwright.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The capabilities (top-level packages under {@code io.millwright}) depend on each other only as
 * their {@code package-info.java} says, never in a cycle, and never on another capability's
 * {@code internal} package (STYLE §2). A new dependency is a decision: change the table below and
 * the package-info in the same commit.
 */
class ModularityTest {

    /** Each capability and the capabilities it may use; {@code model} is the shared kernel. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("ot", Set.of("model", "ops")),
            Map.entry("enrich", Set.of("model", "ops")),
            Map.entry("production", Set.of("model", "enrich", "ops")),
            Map.entry("mes", Set.of("model", "ops")),
            Map.entry("erp", Set.of("model")),
            Map.entry("tracking", Set.of("model")),
            Map.entry("ops", Set.of("model")),
            Map.entry("security", Set.of()),
            Map.entry("backbone", Set.of("model", "ops")),
            Map.entry("sim", Set.of("ops")),
            Map.entry("subscriptions", Set.of("model", "ops")),
            Map.entry("dispatch", Set.of("model", "production", "ops")),
            Map.entry("analytics", Set.of("model", "ops")),
            Map.entry("edge", Set.of("model", "ops", "backbone", "erp")),
            Map.entry("alerting", Set.of("model", "ops")),
            Map.entry("provisioning", Set.of("model", "ot")),
            Map.entry("dashboard", Set.of("model", "enrich", "erp")),
            Map.entry("connectors", Set.of("model", "ops")),
            Map.entry("principles", Set.of("model"))));

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = HubClasses.imported();
    }

    static Stream<Arguments> capabilities() {
        return ALLOWED.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} uses only {1}")
    @MethodSource("capabilities")
    void capabilityUsesOnlyItsDeclaredDependencies(String capability, Set<String> allowed) {
        String[] forbidden = ALLOWED.keySet().stream()
                .filter(other -> !other.equals(capability) && !allowed.contains(other))
                .map(other -> "io.millwright." + other + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("io.millwright." + capability + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because("package-info.java of " + capability + " declares its dependencies: " + allowed)
                .check(classes);
    }

    @Test
    void capabilitiesAreFreeOfCycles() {
        slices().matching("io.millwright.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCapabilityReachesIntoAnothersInternals() {
        for (String capability : ALLOWED.keySet()) {
            noClasses().that().resideOutsideOfPackage("io.millwright." + capability + "..")
                    .should().dependOnClassesThat().resideInAPackage("io.millwright." + capability + "..internal..")
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    // The shared kernel stays plain: records and enums, no Spring beans, no Camel.
    @Test
    void modelDependsOnNoFramework() {
        noClasses().that().resideInAPackage("io.millwright.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.camel..")
                .check(classes);
    }

    // Every top-level package is a capability this test knows, so none escapes the rules above.
    @Test
    void everyPackageBelongsToAKnownCapability() {
        List<String> unknown = classes.stream()
                .map(c -> c.getPackageName())
                .filter(p -> p.startsWith("io.millwright."))
                .map(p -> p.substring("io.millwright.".length()).split("\\.")[0])
                .distinct()
                .filter(top -> !ALLOWED.containsKey(top))
                .toList();
        org.assertj.core.api.Assertions.assertThat(unknown).as("capabilities missing from ALLOWED").isEmpty();
    }
}
