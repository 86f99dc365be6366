package io.millwright.backbone;

import org.apache.camel.CamelContext;
import io.millwright.ops.HubDirectoriesProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates the embedded brokers when {@code millwright.artemis.embedded} / {@code
 * millwright.kafka.embedded} are true (the default).
 *
 * <p>Ordering. Each broker starts in its bean's init method and stops in its destroy method.
 * Camel's {@code SpringCamelContext} starts on {@code ContextRefreshedEvent}, after every
 * singleton exists, and stops as a {@code Lifecycle} bean (phase {@code Integer.MAX_VALUE -
 * 2049}) when the context closes, before Spring destroys any singleton; so routes never run
 * against a broker that is not yet or no longer there. To keep that true under lazy
 * initialisation and to close clients before their broker, the {@code CamelContext} and every JMS
 * {@code ConnectionFactory} are declared to depend on the broker beans: Spring then creates the
 * brokers first and destroys them last.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ArtemisBackboneProperties.class, KafkaBackboneProperties.class, HubDirectoriesProperties.class})
public class BackboneConfiguration {

    /** Bean name of the embedded Artemis broker. */
    public static final String ARTEMIS_BEAN = "embeddedArtemisBroker";

    /** Bean name of the embedded Kafka broker. */
    public static final String KAFKA_BEAN = "embeddedKraftKafka";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "millwright.artemis.embedded", havingValue = "true", matchIfMissing = true)
    static class ArtemisBackbone {

        @Bean(name = ARTEMIS_BEAN, initMethod = "start", destroyMethod = "close")
        EmbeddedArtemisBroker embeddedArtemisBroker(
                ArtemisBackboneProperties properties, HubDirectoriesProperties directories) {
            // passwords are generated at start-up when unset (security.GeneratedSecretsEnvironmentPostProcessor)
            return new EmbeddedArtemisBroker(properties.bindAddress(), properties.port(), directories.data(),
                    new EmbeddedArtemisBroker.Credentials(properties.hubUser(), properties.hubPassword()),
                    new EmbeddedArtemisBroker.Credentials(properties.mesUser(), properties.mesPassword()));
        }

        @Bean
        static AbstractDependsOnBeanFactoryPostProcessor camelDependsOnEmbeddedArtemis() {
            return new DependsOnBroker(CamelContext.class, ARTEMIS_BEAN);
        }

        @Bean
        @ConditionalOnClass(name = "jakarta.jms.ConnectionFactory")
        static AbstractDependsOnBeanFactoryPostProcessor jmsConnectionFactoryDependsOnEmbeddedArtemis() {
            return new DependsOnBroker(jakarta.jms.ConnectionFactory.class, ARTEMIS_BEAN);
        }

        @Bean
        @ConditionalOnClass(HealthIndicator.class)
        HealthIndicator embeddedArtemisHealthIndicator(EmbeddedArtemisBroker broker) {
            return () -> (broker.isRunning() ? Health.up() : Health.down())
                    .withDetail("acceptor", broker.acceptorUri())
                    .withDetail("protocols", EmbeddedArtemisBroker.PROTOCOLS)
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "millwright.kafka.embedded", havingValue = "true", matchIfMissing = true)
    static class KafkaBackbone {

        @Bean(name = KAFKA_BEAN, initMethod = "start", destroyMethod = "close")
        EmbeddedKraftKafka embeddedKraftKafka(
                KafkaBackboneProperties properties, HubDirectoriesProperties directories) {
            return new EmbeddedKraftKafka(
                    properties.bindAddress(),
                    properties.port(),
                    properties.controllerPort(),
                    directories.data(),
                    properties.partitions());
        }

        @Bean
        static AbstractDependsOnBeanFactoryPostProcessor camelDependsOnEmbeddedKafka() {
            return new DependsOnBroker(CamelContext.class, KAFKA_BEAN);
        }

        @Bean
        @ConditionalOnClass(HealthIndicator.class)
        HealthIndicator embeddedKafkaHealthIndicator(EmbeddedKraftKafka broker) {
            return () -> (broker.isRunning() ? Health.up() : Health.down())
                    .withDetail("bootstrapServers", broker.bootstrapServers())
                    .withDetail("failure", broker.failure().orElse("none"))
                    .build();
        }
    }

    /** Makes every bean of a type depend on a broker bean, so it is created after and destroyed before it. */
    private static final class DependsOnBroker extends AbstractDependsOnBeanFactoryPostProcessor {
        DependsOnBroker(Class<?> beanType, String brokerBean) {
            super(beanType, brokerBean);
        }
    }
}
