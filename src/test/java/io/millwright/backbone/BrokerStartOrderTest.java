package io.millwright.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * The ordering the hub's start relies on (BackboneConfiguration): a broker's start begins with the
 * first beans of the refresh, beside the rest of the context, and the refresh still ends (Camel
 * starts its routes, the OPC UA intake with them, on ContextRefreshedEvent) only once the broker
 * serves clients, so a value the intake delivers at once is never lost. A plain Spring context with
 * a stand-in broker whose start ends only after the main thread has made its last bean.
 */
class BrokerStartOrderTest {

    private AnnotationConfigApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void brokerStartBegunBeforeTheRestOfTheContextIsMade() {
        context = new AnnotationConfigApplicationContext(Hub.class, Backbone.class);

        // the bean made after the first one (before the broker's bean in registration order) finds
        // the start begun; Spring's pre-instantiation alone would reach the broker only after it
        assertThat(context.getBean(RestOfTheContext.class).brokerStartBegun).isTrue();
    }

    @Test
    void valueDeliveredAtRefreshIsAccepted_whenTheBrokerStartsAfterTheLastMainThreadBean() {
        context = new AnnotationConfigApplicationContext(Hub.class, Backbone.class);

        StandInBroker broker = context.getBean(StandInBroker.class);
        assertThat(broker.accepted).containsExactly("first value");
        assertThat(broker.refused).isEmpty();
        // control: the start really ended after the main thread's last bean (it waited for it)
        assertThat(broker.startEndedAfterLastBean).isTrue();
    }

    @Test
    void refreshFailsWithTheBrokersReason_whenItsStartFails() {
        assertThatThrownBy(() -> new AnnotationConfigApplicationContext(FailingHub.class, Backbone.class))
                .rootCause()
                .hasMessage("port 9092 in use");
    }

    /**
     * Stands in for an embedded broker slower than the whole rest of the context: its start ends
     * only after the main thread made its last bean, and then takes another 2 s, or ends at once
     * when something is sent to it meanwhile (which only a hub that does not wait for it does).
     * It refuses what arrives before its start ended.
     */
    static final class StandInBroker {
        final CountDownLatch lastMainThreadBeanMade = new CountDownLatch(1);
        final CountDownLatch sent = new CountDownLatch(1);
        volatile boolean started;
        volatile boolean startEndedAfterLastBean;
        final List<String> accepted = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();

        void start() throws InterruptedException {
            startEndedAfterLastBean = lastMainThreadBeanMade.await(30, TimeUnit.SECONDS);
            sent.await(2, TimeUnit.SECONDS);
            started = true;
        }

        void send(String value) {
            (started ? accepted : refused).add(value);
            sent.countDown();
        }
    }

    static final class FirstBean {}

    static final class RestOfTheContext {
        final boolean brokerStartBegun;

        RestOfTheContext(boolean brokerStartBegun) {
            this.brokerStartBegun = brokerStartBegun;
        }
    }

    /** The intake: sends a value as soon as the context is refreshed, as Camel's routes start then. */
    static final class Intake implements ApplicationListener<ContextRefreshedEvent> {
        private final StandInBroker broker;

        Intake(StandInBroker broker) {
            this.broker = broker;
        }

        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            broker.send("first value");
        }
    }

    static final class LastBean {
        LastBean(StandInBroker broker) {
            broker.lastMainThreadBeanMade.countDown();
        }
    }

    /** The backbone's early start and await, and the executor Spring runs background beans on. */
    @Configuration(proxyBeanMethods = false)
    @Import(EarlyBrokerStart.Configuration.class)
    static class Backbone {

        /** Spring's background beans run on the bean named bootstrapExecutor (Spring Boot's applicationTaskExecutor). */
        @Bean(destroyMethod = "shutdownNow")
        ExecutorService bootstrapExecutor() {
            return Executors.newFixedThreadPool(2);
        }
    }

    /** Registered before {@link Backbone}, so Spring's pre-instantiation reaches its beans first. */
    @Configuration(proxyBeanMethods = false)
    static class Hub {

        @Bean
        FirstBean firstBean() {
            return new FirstBean();
        }

        @Bean
        RestOfTheContext restOfTheContext(ConfigurableListableBeanFactory beanFactory) {
            // the start's thread is launched when its BrokerStart is made (it may not have run yet)
            return new RestOfTheContext(beanFactory.containsSingleton("standInBrokerStart"));
        }

        @Bean
        StandInBroker standInBroker() {
            return new StandInBroker();
        }

        @Bean
        BrokerStart standInBrokerStart(StandInBroker broker) {
            return BrokerStart.begin("stand-in", broker::start);
        }

        @Bean
        Intake intake(StandInBroker broker) {
            return new Intake(broker);
        }

        @Bean
        LastBean lastBean(StandInBroker broker) {
            return new LastBean(broker);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingHub {

        @Bean
        BrokerStart failingStart() {
            return BrokerStart.begin("failing", () -> {
                throw new IllegalStateException("port 9092 in use");
            });
        }
    }
}
