package io.millwright.backbone;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * A hub told {@code millwright.kafka.embedded=false} and nothing else connected to 127.0.0.1:9092,
 * the embedded broker's own address, where no broker of its own runs. It now refuses to start and
 * names the setting; given the external cluster's address, in any of the ways an operator sets it,
 * it starts.
 */
class ExternalKafkaEnvironmentPostProcessorTest {

    @Test
    void refusesToStart_namingTheSetting_whenKafkaIsExternalAndNoAddressIsGiven() throws Exception {
        StandardEnvironment environment = hubEnvironment(Map.of("millwright.kafka.embedded", "false"), Map.of());

        assertThatThrownBy(() -> postProcess(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("millwright.kafka.embedded=false but spring.kafka.bootstrap-servers is not set")
                .hasMessageContaining("127.0.0.1:9092")
                .hasMessageContaining("SPRING_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void refusesABlankAddress() throws Exception {
        StandardEnvironment environment = hubEnvironment(
                Map.of("millwright.kafka.embedded", "false", "spring.kafka.bootstrap-servers", " "), Map.of());

        assertThatThrownBy(() -> postProcess(environment)).hasMessageContaining("spring.kafka.bootstrap-servers is not set");
    }

    @Test
    void starts_whenTheExternalAddressIsGivenOnTheCommandLine() throws Exception {
        StandardEnvironment environment = hubEnvironment(
                Map.of("millwright.kafka.embedded", "false", "spring.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092"), Map.of());

        assertThatCode(() -> postProcess(environment)).doesNotThrowAnyException();
    }

    // the Kubernetes and systemd way: the environment variable, relaxed binding
    @Test
    void starts_whenTheExternalAddressIsGivenInTheEnvironment() throws Exception {
        StandardEnvironment environment = hubEnvironment(Map.of("millwright.kafka.embedded", "false"),
                Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka.plant.local:9093"));

        assertThatCode(() -> postProcess(environment)).doesNotThrowAnyException();
    }

    // a local broker on the embedded broker's address is allowed when written out
    @Test
    void starts_whenTheEmbeddedAddressIsWrittenOut() throws Exception {
        StandardEnvironment environment = hubEnvironment(
                Map.of("millwright.kafka.embedded", "false", "spring.kafka.bootstrap-servers", "127.0.0.1:9092"), Map.of());

        assertThatCode(() -> postProcess(environment)).doesNotThrowAnyException();
    }

    // controls: the shipped default (embedded broker) and the edge profile (no Kafka at all)
    @Test
    void notConcerned_withTheEmbeddedBroker_orWithoutKafka() throws Exception {
        assertThatCode(() -> postProcess(hubEnvironment(Map.of(), Map.of()))).doesNotThrowAnyException();
        assertThatCode(() -> postProcess(hubEnvironment(
                Map.of("millwright.kafka.embedded", "false", "millwright.mes.kafka-enabled", "false"), Map.of())))
                .doesNotThrowAnyException();
    }

    private static void postProcess(StandardEnvironment environment) {
        new ExternalKafkaEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
    }

    /** The shipped config/application.yaml behind command-line style properties and an environment. */
    private static StandardEnvironment hubEnvironment(Map<String, Object> commandLine, Map<String, Object> variables)
            throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("testEnvironment",
                new LinkedHashMap<>(variables)));
        environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", new LinkedHashMap<>(commandLine)));
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("config/application.yaml",
                new FileSystemResource("config/application.yaml"))) {
            environment.getPropertySources().addLast(source);
        }
        return environment;
    }
}
