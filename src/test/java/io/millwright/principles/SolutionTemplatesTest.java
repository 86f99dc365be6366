package io.millwright.principles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Each shipped template, switched on by the one setting {@code millwright.solution}, on the hub's
 * environment as Spring builds it (a configuration file that switches the features off, the command
 * line above it): every setting of the template wins over the file, the command line still wins over
 * the template, and the template's alert rules are added. {@code AnalyticsSideRoutesTest} starts the
 * hub with {@code predictive-maintenance} and sees its rule raise an alert.
 */
class SolutionTemplatesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"connected-factory", "remote-monitoring", "predictive-maintenance"})
    void oneSettingSwitchesTheTemplateOn(String name) {
        StandardEnvironment environment = hubEnvironment(Map.of(SolutionTemplates.SETTING, name));

        List<SolutionTemplate> applied = SolutionTemplates.apply(environment);

        assertThat(applied).extracting(SolutionTemplate::name).containsExactly(name);
        SolutionTemplate template = applied.get(0);
        assertThat(template.description()).isNotBlank();
        assertThat(template.enables()).isNotEmpty();
        assertThat(template.panels()).isNotEmpty();
        assertThat(template.settings()).isNotEmpty().containsEntry("millwright.layers.5.enabled", "true");
        template.settings().forEach((key, value) ->
                assertThat(environment.getProperty(key)).as(key).isEqualTo(value));
        assertThat(environment.getProperty("millwright.alerting.additional-rules-files[0]"))
                .isEqualTo(Path.of("config/solutions", name, "alert-rules.yaml").toString());
        // its own flows: the template's routes/ folder becomes one of the hub's route folders
        assertThat(template.routes()).isEqualTo(Path.of("config/solutions", name, "routes"));
        assertThat(environment.getProperty("millwright.routes.additional-dirs[0]"))
                .isEqualTo(Path.of("config/solutions", name, "routes").toString());
        assertThat(environment.getProperty("millwright.routes.additional-dirs[1]")).isNull();
        // control: a setting the template does not touch keeps the file's value
        assertThat(environment.getProperty("millwright.dashboard.confirmations")).isEqualTo("8");
    }

    @Test
    void severalTemplatesAtOnce_andTheCommandLineStillWins() {
        StandardEnvironment environment = hubEnvironment(Map.of(SolutionTemplates.SETTING,
                "remote-monitoring, predictive-maintenance", "millwright.analytics.rollups.enabled", "false"));

        SolutionTemplates.apply(environment);

        assertThat(environment.getProperty("millwright.analytics.anomaly.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("millwright.alerting.enabled")).isEqualTo("true");
        // both templates set it true; the command line said false
        assertThat(environment.getProperty("millwright.analytics.rollups.enabled")).isEqualTo("false");
        assertThat(environment.getProperty("millwright.alerting.additional-rules-files[0]")).contains("remote-monitoring");
        assertThat(environment.getProperty("millwright.alerting.additional-rules-files[1]")).contains("predictive-maintenance");
        assertThat(environment.getProperty("millwright.routes.additional-dirs[0]")).contains("remote-monitoring");
        assertThat(environment.getProperty("millwright.routes.additional-dirs[1]")).contains("predictive-maintenance");
    }

    @Test
    void aRouteFolderTheCommandLineNames_isKeptBeforeTheTemplates() {
        StandardEnvironment environment = hubEnvironment(Map.of(SolutionTemplates.SETTING, "connected-factory",
                "millwright.routes.additional-dirs[0]", "site/routes"));

        SolutionTemplates.apply(environment);

        // bound as the hub binds it: one list from the highest source that has it, here the command line's
        assertThat(org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("millwright.routes.additional-dirs", org.springframework.boot.context.properties.bind.Bindable.listOf(String.class))
                .get()).containsExactly("site/routes", Path.of("config/solutions/connected-factory/routes").toString());
    }

    // a rules file named on the command line joins the template's instead of replacing it
    @Test
    void aRulesFileTheCommandLineNames_isKeptBeforeTheTemplates() {
        StandardEnvironment environment = hubEnvironment(Map.of(SolutionTemplates.SETTING, "remote-monitoring",
                "millwright.alerting.additional-rules-files[0]", "site/alert-rules.yaml"));

        SolutionTemplates.apply(environment);

        assertThat(org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("millwright.alerting.additional-rules-files", org.springframework.boot.context.properties.bind.Bindable.listOf(String.class))
                .get()).containsExactly("site/alert-rules.yaml", Path.of("config/solutions/remote-monitoring/alert-rules.yaml").toString());
    }

    @Test
    void noSetting_noTemplate() {
        StandardEnvironment environment = hubEnvironment(Map.of());
        assertThat(SolutionTemplates.apply(environment)).isEmpty();
        assertThat(environment.getProperty("millwright.analytics.anomaly.enabled")).isEqualTo("false");
    }

    @Test
    void unknownTemplate_stopsTheStart_namingTheOnesThatExist() {
        StandardEnvironment environment = hubEnvironment(Map.of(SolutionTemplates.SETTING, "smart-city"));
        assertThatThrownBy(() -> SolutionTemplates.apply(environment))
                .hasMessageContaining("millwright.solution: 'smart-city' is not a solution template")
                .hasMessageContaining("[connected-factory, predictive-maintenance, remote-monitoring]");
    }

    /** The command line above a configuration file that switches everything a template might need off. */
    private static StandardEnvironment hubEnvironment(Map<String, Object> commandLine) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", commandLine));
        environment.getPropertySources().addLast(new MapPropertySource(
                "Config resource 'file [config/application.yaml]' via location 'optional:file:./config/'", Map.of(
                        "millwright.ot.enabled", "false",
                        "millwright.analytics.anomaly.enabled", "false",
                        "millwright.analytics.rollups.enabled", "false",
                        "millwright.analytics.kpi.enabled", "false",
                        "millwright.alerting.enabled", "false",
                        "millwright.layers.5.enabled", "false",
                        "millwright.dashboard.confirmations", "8")));
        return environment;
    }
}
