package io.millwright.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The connectors' settings bound as the hub binds them: defaults, a value given, a bad value refused naming the key. */
class ConnectorsPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ConnectorsProperties.class)
    static class Settings {}

    final ApplicationContextRunner hub = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void defaults_halfASecondDebounce_andThePlmInboxUnderTheMappingsFolder() {
        hub.run(context -> {
            ConnectorsProperties settings = context.getBean(ConnectorsProperties.class);
            assertThat(settings.reloadEnabled()).isTrue();
            assertThat(settings.reloadDebounce()).isEqualTo(Duration.ofMillis(500));
            assertThat(settings.plmInbox(Path.of("mappings"))).isEqualTo(Path.of("mappings", "inbox", "plm"));
        });
    }

    @Test
    void givenValuesBind() {
        hub.withPropertyValues("millwright.connectors.reload-debounce=2s", "millwright.connectors.plm-inbox=/srv/plm")
                .run(context -> {
                    ConnectorsProperties settings = context.getBean(ConnectorsProperties.class);
                    assertThat(settings.reloadDebounce()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(settings.plmInbox(Path.of("mappings"))).isEqualTo(Path.of("/srv/plm"));
                });
    }

    @Test
    void debounceOutsideZeroToOneMinute_failsTheStartNamingTheKey() {
        hub.withPropertyValues("millwright.connectors.reload-debounce=5m").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("millwright.connectors.reload-debounce: PT5M is outside 0s..1m");
        });
    }

    @Test
    void debounceThatIsNoDuration_failsTheStartNamingTheKey() {
        hub.withPropertyValues("millwright.connectors.reload-debounce=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("millwright.connectors.reload-debounce");
        });
    }
}
