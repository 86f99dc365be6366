package io.millwright.backbone;

import java.util.List;
import org.apache.camel.CamelContext;
import io.millwright.ops.HubDirectoriesProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import io.millwright.ops.AddressListeners;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Creates the embedded brokers when {@code millwright.artemis.embedded} / {@code
 * millwright.kafka.embedded} are true (the default).
 *
 * <p>Ordering. Each broker object is made on the main thread, and its start runs on a thread of its
 * own ({@link BrokerStart}) from the first bean the factory makes after its post-processors are
 * registered ({@link EarlyBrokerStart}): Artemis and Kafka start side by side with the whole
 * context refresh (web server, database, registries, routes) instead of when Spring's
 * pre-instantiation reaches their beans, some 60 % into the start (docs/benchmarks.md, "Where the
 * start-up goes"). One background bean ({@code Bean.Bootstrap.BACKGROUND}) awaits every broker's
 * start; Spring waits for every background bean before it calls {@code SmartInitializingSingleton}s
 * (the event destinations) and before it publishes {@code ContextRefreshedEvent}, on which Camel's
 * {@code SpringCamelContext} starts its routes; so routes, and the OPC UA intake with them, never run
 * against a broker that is not yet there (BrokerStartOrderTest). A failed start fails the context
 * with the broker's own message. Camel stops as a {@code Lifecycle}
 * bean (phase {@code Integer.MAX_VALUE - 2049}) when the context closes, before Spring destroys
 * any singleton. To also destroy clients before their broker, the {@code CamelContext} and every
 * JMS {@code ConnectionFactory} are registered as dependents of the broker beans (destruction
 * order only: a creation-time depends-on would make the main thread wait for the brokers). A
 * broker's {@link BrokerStart} depends on the broker, so it is closed first: it waits for a start
 * still running, and the broker's own stop then finds it started.
 */
@Configuration(proxyBeanMethods = false)
@Import(EarlyBrokerStart.Configuration.class)
@EnableConfigurationProperties({ArtemisBackboneProperties.class, KafkaBackboneProperties.class, HubDirectoriesProperties.class})
public class BackboneConfiguration {

    /** Bean name of the embedded Artemis broker. */
    public static final String ARTEMIS_BEAN = "embeddedArtemisBroker";

    /** Bean name of the embedded Kafka broker. */
    public static final String KAFKA_BEAN = "embeddedKraftKafka";


    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "millwright.artemis.embedded", havingValue = "true", matchIfMissing = true)
    static class ArtemisBackbone {

        // settings by constructor: a background bean may only use beans the main thread made first
        private final ArtemisBackboneProperties properties;
        private final HubDirectoriesProperties directories;
        private final List<ArtemisBrokerCustomizer> customizers;

        ArtemisBackbone(ArtemisBackboneProperties properties, HubDirectoriesProperties directories,
                ObjectProvider<ArtemisBrokerCustomizer> customizers) {
            this.properties = properties;
            this.directories = directories;
            // resolved here, on the main thread, before the broker bean starts in the background
            this.customizers = customizers.orderedStream().toList();
        }

        @Bean(name = ARTEMIS_BEAN, destroyMethod = "close")
        EmbeddedArtemisBroker embeddedArtemisBroker() {
            // passwords are generated at start-up when unset (security.GeneratedSecretsEnvironmentPostProcessor)
            return new EmbeddedArtemisBroker(properties.bindAddress(), properties.port(), directories.data(),
                    new EmbeddedArtemisBroker.Credentials(properties.hubUser(), properties.hubPassword()),
                    new EmbeddedArtemisBroker.Credentials(properties.mesUser(), properties.mesPassword()),
                    customizers)
                    .withTls(properties.tls());
        }

        @Bean
        BrokerStart embeddedArtemisBrokerStart(@Qualifier(ARTEMIS_BEAN) EmbeddedArtemisBroker broker) {
            return BrokerStart.begin("artemis", broker::start);
        }

        @Bean
        static BeanFactoryPostProcessor camelDestroyedBeforeEmbeddedArtemis() {
            return new DestroyedBeforeBroker(CamelContext.class, ARTEMIS_BEAN);
        }

        @Bean
        @ConditionalOnClass(name = "jakarta.jms.ConnectionFactory")
        static BeanFactoryPostProcessor jmsConnectionFactoryDestroyedBeforeEmbeddedArtemis() {
            return new DestroyedBeforeBroker(jakarta.jms.ConnectionFactory.class, ARTEMIS_BEAN);
        }

        /**
         * Who listens on an address of the embedded broker, for publishers that skip messages nobody would
         * receive (signals on {@code millwright.events.signal}). Looked up per question: injecting the broker
         * would make the main thread wait for its start.
         */
        @Bean
        AddressListeners embeddedArtemisAddressListeners(ObjectProvider<EmbeddedArtemisBroker> brokers) {
            return new AddressListeners() {
                private volatile EmbeddedArtemisBroker broker;

                @Override
                public boolean any(String address) {
                    EmbeddedArtemisBroker known = broker;
                    if (known == null) {
                        known = brokers.getObject();
                        broker = known;
                    }
                    return known.hasListeners(address);
                }
            };
        }

        @Bean
        @ConditionalOnClass(HealthIndicator.class)
        HealthIndicator embeddedArtemisHealthIndicator(ObjectProvider<EmbeddedArtemisBroker> brokers) {
            // looked up per check: injecting the broker would make the main thread wait for its start
            return () -> {
                EmbeddedArtemisBroker broker = brokers.getObject();
                return (broker.isRunning() ? Health.up() : Health.down())
                    .withDetail("acceptor", broker.acceptorUri())
                    .withDetail("protocols", EmbeddedArtemisBroker.PROTOCOLS)
                    .withDetail("tls", broker.tlsEnabled())
                    .build();
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "millwright.kafka.embedded", havingValue = "true", matchIfMissing = true)
    static class KafkaBackbone {

        private final KafkaBackboneProperties properties;
        private final HubDirectoriesProperties directories;

        KafkaBackbone(KafkaBackboneProperties properties, HubDirectoriesProperties directories) {
            this.properties = properties;
            this.directories = directories;
        }

        @Bean(name = KAFKA_BEAN, destroyMethod = "close")
        EmbeddedKraftKafka embeddedKraftKafka() {
            return new EmbeddedKraftKafka(
                    properties.bindAddress(),
                    properties.port(),
                    properties.controllerPort(),
                    directories.data(),
                    properties.partitions(),
                    properties.users(),
                    properties.tls());
        }

        @Bean
        BrokerStart embeddedKraftKafkaStart(@Qualifier(KAFKA_BEAN) EmbeddedKraftKafka broker) {
            return BrokerStart.begin("kafka", broker::start);
        }

        @Bean
        static BeanFactoryPostProcessor camelDestroyedBeforeEmbeddedKafka() {
            return new DestroyedBeforeBroker(CamelContext.class, KAFKA_BEAN);
        }

        @Bean
        @ConditionalOnClass(HealthIndicator.class)
        HealthIndicator embeddedKafkaHealthIndicator(ObjectProvider<EmbeddedKraftKafka> brokers) {
            return () -> {
                EmbeddedKraftKafka broker = brokers.getObject();
                return (broker.isRunning() ? Health.up() : Health.down())
                    .withDetail("bootstrapServers", broker.bootstrapServers())
                    .withDetail("securityProtocol", broker.securityProtocol())
                    .withDetail("failure", broker.failure().orElse("none"))
                    .build();
            };
        }
    }

    /** Registers every bean of a type as a dependent of a broker bean, so it is destroyed before it. */
    private record DestroyedBeforeBroker(Class<?> beanType, String brokerBean) implements BeanFactoryPostProcessor {
        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            for (String client : beanFactory.getBeanNamesForType(beanType, true, false)) {
                beanFactory.registerDependentBean(brokerBean, client);
            }
        }
    }
}
