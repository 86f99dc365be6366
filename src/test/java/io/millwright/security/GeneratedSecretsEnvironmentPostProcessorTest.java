package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.mock.env.MockEnvironment;

class GeneratedSecretsEnvironmentPostProcessorTest {

    private static final String ADMIN = "millwright.security.admin-password";
    private static final String SIM_ERP = "millwright.sim.erp.password";
    private static final String ERP = "millwright.erp.password";

    private final Log log = mock(Log.class);
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final GeneratedSecretsEnvironmentPostProcessor processor = new GeneratedSecretsEnvironmentPostProcessor(
            log, new PrintStream(consoleBytes, true, StandardCharsets.UTF_8), new SecureRandom());

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    /** The keys as config/application.yaml leaves them when no environment variable is set. */
    private static MockEnvironment unsetEnvironment() {
        return new MockEnvironment()
                .withProperty("millwright.artemis.embedded", "false")
                .withProperty("millwright.kafka.embedded", "false")
                .withProperty(ADMIN, "")
                .withProperty("millwright.sim.erp.username", "millwright")
                .withProperty(SIM_ERP, "")
                .withProperty(ERP, "${MILLWRIGHT_ERP_PASSWORD:${millwright.sim.erp.password}}");
    }

    @Test
    void bothPasswordsGeneratedAndPrintedOnceToConsoleNotLogged_whenUnset() {
        MockEnvironment environment = unsetEnvironment();

        processor.postProcessEnvironment(environment, new SpringApplication());

        String admin = environment.getProperty(ADMIN);
        String simErp = environment.getProperty(SIM_ERP);
        assertThat(admin).matches("[A-Za-z0-9_-]{24}");
        assertThat(simErp).matches("[A-Za-z0-9_-]{24}").isNotEqualTo(admin);
        assertThat(environment.getPropertySources().iterator().next().getName())
                .isEqualTo(GeneratedSecretsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);

        assertThat(console().lines()).containsExactly(
                "Generated admin password for user 'admin': " + admin + " (set MILLWRIGHT_ADMIN_PASSWORD to choose one)",
                "Generated password for the simulated ERP user 'millwright': " + simErp
                        + " (set MILLWRIGHT_SIM_ERP_PASSWORD to choose one)");
        // the log (and so data/logs/millwright.log) says a password was generated, never which
        ArgumentCaptor<Object> lines = ArgumentCaptor.forClass(Object.class);
        verify(log, times(2)).warn(lines.capture());
        List<Object> logged = lines.getAllValues();
        assertThat(logged).allSatisfy(line -> assertThat(line.toString())
                .contains("printed once on the console, not logged")
                .doesNotContain(admin).doesNotContain(simErp));
    }

    // the ERP client's default password points at the simulator's; it must see the generated value
    @Test
    void erpPasswordPlaceholderResolvesToGeneratedSimPassword_whenNeitherIsSet() {
        MockEnvironment environment = unsetEnvironment();

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(ERP)).isNotBlank().isEqualTo(environment.getProperty(SIM_ERP));
    }

    @Test
    void suppliedPasswordsKeptAndNeverLogged_whenSetInEnvironment() {
        MockEnvironment environment = unsetEnvironment()
                .withProperty(ADMIN, "from-env-admin")
                .withProperty(SIM_ERP, "from-env-sim");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(ADMIN)).isEqualTo("from-env-admin");
        assertThat(environment.getProperty(SIM_ERP)).isEqualTo("from-env-sim");
        assertThat(environment.getPropertySources()
                .contains(GeneratedSecretsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
        verify(log, never()).warn(any());
        verify(log, never()).info(any());
        assertThat(console()).isEmpty();
    }

    @Test
    void passwordGenerated_whenOnlyWhitespaceSupplied() {
        MockEnvironment environment = unsetEnvironment().withProperty(ADMIN, "   ");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(ADMIN)).matches("[A-Za-z0-9_-]{24}");
    }

    // with the simulator off the ERP is a real one: its password must come from MILLWRIGHT_ERP_PASSWORD
    @Test
    void simErpPasswordNotGenerated_whenSimErpDisabled() {
        MockEnvironment environment = unsetEnvironment().withProperty("millwright.sim.erp.enabled", "false");

        processor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(SIM_ERP)).isEmpty();
        assertThat(environment.getProperty(ERP)).isEmpty();
        assertThat(environment.getProperty(ADMIN)).matches("[A-Za-z0-9_-]{24}");
        verify(log).warn(anyString());
        assertThat(console().lines()).hasSize(1);
    }

    // the hub's broker password is for the hub only; the consumers' is printed like the admin's
    @Test
    void artemisPasswordsGenerated_whenEmbeddedBrokerAndUnset() {
        MockEnvironment environment = unsetEnvironment()
                .withProperty("millwright.artemis.embedded", "true")
                .withProperty("millwright.artemis.hub-password", "")
                .withProperty("millwright.artemis.mes-password", "")
                .withProperty("spring.artemis.password", "${millwright.artemis.hub-password}");

        processor.postProcessEnvironment(environment, new SpringApplication());

        String hub = environment.getProperty("millwright.artemis.hub-password");
        String mes = environment.getProperty("millwright.artemis.mes-password");
        assertThat(hub).matches("[A-Za-z0-9_-]{24}");
        assertThat(mes).matches("[A-Za-z0-9_-]{24}").isNotEqualTo(hub);
        assertThat(environment.getProperty("spring.artemis.password")).isEqualTo(hub);
        assertThat(console()).doesNotContain(hub)
                .contains("Generated password for the Artemis and Kafka consumer user 'mes': " + mes
                        + " (set MILLWRIGHT_MES_PASSWORD to choose one)");
    }

    // the embedded Kafka broker's users share the Artemis passwords: generated for Kafka alone too
    @Test
    void brokerPasswordsGenerated_whenOnlyKafkaEmbedded() {
        MockEnvironment environment = unsetEnvironment()
                .withProperty("millwright.kafka.embedded", "true")
                .withProperty("millwright.artemis.hub-password", "")
                .withProperty("millwright.artemis.mes-password", "")
                .withProperty("millwright.kafka.mes-password", "${millwright.artemis.mes-password}");

        processor.postProcessEnvironment(environment, new SpringApplication());

        String mes = environment.getProperty("millwright.artemis.mes-password");
        assertThat(environment.getProperty("millwright.artemis.hub-password")).matches("[A-Za-z0-9_-]{24}");
        assertThat(environment.getProperty("millwright.kafka.mes-password")).isEqualTo(mes).matches("[A-Za-z0-9_-]{24}");
        assertThat(console()).contains("consumer user 'mes': " + mes);
    }

    @Test
    void registeredAsEnvironmentPostProcessor_inSpringFactories() {
        List<EnvironmentPostProcessor> processors = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(EnvironmentPostProcessor.class,
                        ArgumentResolver.of(DeferredLogFactory.class, new DeferredLogs()));

        assertThat(processors).hasAtLeastOneElementOfType(GeneratedSecretsEnvironmentPostProcessor.class);
    }
}
