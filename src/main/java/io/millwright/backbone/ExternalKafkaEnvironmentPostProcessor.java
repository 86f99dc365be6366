package io.millwright.backbone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start a hub that uses Kafka ({@code millwright.mes.kafka-enabled}, the default) without
 * its embedded broker ({@code millwright.kafka.embedded=false}) and without the external cluster's
 * address. The shipped {@code spring.kafka.bootstrap-servers} points at the embedded broker's own
 * listener ({@code ${millwright.kafka.bind-address}:${millwright.kafka.port}}, 127.0.0.1:9092): left
 * as it is, the hub silently connected to whatever listens there, or retried forever. An operator who
 * means a local broker on that address writes it out. The edge profile, which has no Kafka
 * ({@code millwright.mes.kafka-enabled=false}), is not concerned.
 */
public class ExternalKafkaEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String EMBEDDED_KEY = "millwright.kafka.embedded";
    static final String KAFKA_ENABLED_KEY = "millwright.mes.kafka-enabled";
    static final String BOOTSTRAP_KEY = "spring.kafka.bootstrap-servers";

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1; // after the config files and profiles are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean embedded = environment.getProperty(EMBEDDED_KEY, Boolean.class, true);
        boolean kafkaUsed = environment.getProperty(KAFKA_ENABLED_KEY, Boolean.class, true);
        if (embedded || !kafkaUsed) {
            return;
        }
        Object given = rawValue(environment);
        if (given == null || given.toString().isBlank() || given.toString().contains("${millwright.kafka.bind-address}")) {
            throw new IllegalStateException(EMBEDDED_KEY + "=false but " + BOOTSTRAP_KEY + " is not set: the hub would "
                    + "connect to its embedded broker's address " + environment.getProperty(BOOTSTRAP_KEY, "(none)")
                    + ", where no broker of its own runs. Set " + BOOTSTRAP_KEY + " (environment SPRING_KAFKA_BOOTSTRAP_SERVERS)"
                    + " to the external cluster, e.g. kafka-1:9092,kafka-2:9092, or leave " + EMBEDDED_KEY + " at true");
        }
    }

    /** The bootstrap servers as written where they are set (placeholders unresolved), any spelling. */
    private static Object rawValue(ConfigurableEnvironment environment) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(BOOTSTRAP_KEY);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property.getValue();
            }
        }
        return null;
    }
}
