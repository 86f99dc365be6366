package io.millwright.backbone;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes every {@link BrokerStart} bean as soon as the bean factory makes its first bean after the
 * post-processors are registered, so the embedded brokers start at the beginning of the context
 * refresh (before the web server, the database, the registries and the routes are built) and not
 * when Spring's pre-instantiation reaches their beans, late in the refresh: measured in
 * docs/benchmarks.md ("Where the start-up goes"), Kafka began some 60 % into the start and the
 * refresh then waited for it. The {@link BrokerStart} beans and what they depend on (the broker
 * objects, their properties records) are made on the main thread, fully post-processed; only the
 * brokers' own start runs on threads of their own.
 */
final class EarlyBrokerStart implements BeanPostProcessor, BeanFactoryAware {

    /**
     * This trigger, and one background bean that awaits every {@link BrokerStart}: Spring waits for
     * it before {@code SmartInitializingSingleton}s and {@code ContextRefreshedEvent}.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class Configuration {

        static final String AWAIT_BEAN = "embeddedBrokersStarted";

        @Bean
        static EarlyBrokerStart earlyBrokerStart() {
            return new EarlyBrokerStart();
        }

        /**
         * Spring makes a background bean's depends-on on the main thread first (it refuses to make a
         * main-line bean on a background thread): should the trigger not have made a BrokerStart, it
         * is made here, still before the await.
         */
        @Bean
        static BeanFactoryPostProcessor brokerStartsMadeOnTheMainThread() {
            return beanFactory -> beanFactory.getBeanDefinition(AWAIT_BEAN)
                    .setDependsOn(beanFactory.getBeanNamesForType(BrokerStart.class, false, false));
        }

        @Bean(name = AWAIT_BEAN, bootstrap = Bean.Bootstrap.BACKGROUND)
        BrokerStart.AllStarted embeddedBrokersStarted(ObjectProvider<BrokerStart> starts) throws Exception {
            return BrokerStart.awaitAll(starts.orderedStream().toList());
        }
    }

    private final AtomicBoolean triggered = new AtomicBoolean();
    private ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (!triggered.getAndSet(true)) {
            try {
                // by type without eager initialisation: only the @Bean methods' declared types are read
                for (String start : beanFactory.getBeanNamesForType(BrokerStart.class, false, false)) {
                    beanFactory.getBean(start, BrokerStart.class);
                }
            } catch (BeansException e) {
                if (!(e.getMostSpecificCause() instanceof BeanCurrentlyInCreationException)) {
                    throw e;
                }
                // this bean is one a broker needs (its properties record), still being made: the next bean tries again
                triggered.set(false);
            }
        }
        return bean;
    }
}
