package io.millwright.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.testsupport.SettingsBinding;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The connectors' settings bound as the hub binds them: defaults, a value given, a bad value refused naming the key. */
class ConnectorsPropertiesTest {

    final ApplicationContextRunner hub = SettingsBinding.runner(ConnectorsProperties.class);

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
