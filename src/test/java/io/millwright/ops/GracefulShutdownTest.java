package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.testsupport.HubTestProperties;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.millwright.MillwrightApplication;

/**
 * Shutdown closes in order: Camel first (a message in flight finishes, and may still write to the
 * database), the database last, and H2 has no shutdown hook of its own that could close the
 * database under Camel's feet (the "Database is already closed" of issue 11).
 */
class GracefulShutdownTest {

    private static final CountDownLatch IN_FLIGHT = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final AtomicReference<Object> WRITE_AFTER_SHUTDOWN_BEGAN = new AtomicReference<>();

    @TempDir
    Path dataDir;

    @Test
    void messageInFlightWritesToDatabase_whenContextClosesWhileItRuns() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MillwrightApplication.class, ProbeRoute.class)
                .run(HubTestProperties.withoutBrokers(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--millwright.security.admin-password=shutdown-test-Pw-1",
                        "--millwright.data-dir=" + dataDir,
                        "--millwright.sim.erp.enabled=false",
                        "--millwright.ot.enabled=false",
                        "--management.health.jms.enabled=false"));

        assertThat(context.getEnvironment().getProperty("spring.datasource.url")).contains(";DB_CLOSE_ON_EXIT=FALSE");
        // H2 2.x keeps every file database in its hook (for a checkpoint); it closes only those with closeAtVmShutdown
        List<?> hooked = h2ShutdownHookDatabases();
        assertThat(hooked).as("H2 databases in this JVM").isNotEmpty();
        for (Object database : hooked) {
            assertThat(closeAtVmShutdown(database)).as("H2 closes %s itself at JVM exit", database).isFalse();
        }

        CamelContext camel = context.getBean(CamelContext.class);
        camel.createProducerTemplate().asyncSendBody("seda:shutdown-probe", "in flight");
        assertThat(IN_FLIGHT.await(30, TimeUnit.SECONDS)).as("probe message in flight").isTrue();

        Thread closer = new Thread(context::close, "test-close");
        closer.start();
        // the context is closing (Camel waits for the in-flight message); now let the message write
        await().atMost(Duration.ofSeconds(30)).until(camel::isStopping);
        RELEASE.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(closer.isAlive()).as("close finished").isFalse();
        assertThat(WRITE_AFTER_SHUTDOWN_BEGAN.get()).as("database answer to the in-flight message")
                .isEqualTo(1);
    }

    private static boolean closeAtVmShutdown(Object database) throws Exception {
        Field field = database.getClass().getDeclaredField("closeAtVmShutdown");
        field.setAccessible(true);
        return field.getBoolean(database);
    }

    /** The databases registered with H2's own shutdown hook (org.h2.engine.OnExitDatabaseCloser). */
    private static List<?> h2ShutdownHookDatabases() throws Exception {
        Field databases = Class.forName("org.h2.engine.OnExitDatabaseCloser").getDeclaredField("DATABASES");
        databases.setAccessible(true);
        synchronized (Class.forName("org.h2.engine.OnExitDatabaseCloser")) {
            return List.copyOf(((Map<?, ?>) databases.get(null)).keySet());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProbeRoute {

        @Bean
        RouteBuilder shutdownProbeRoute(DataSource dataSource) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("seda:shutdown-probe").routeId("test-shutdown-probe")
                            .process(exchange -> {
                                IN_FLIGHT.countDown();
                                RELEASE.await(30, TimeUnit.SECONDS);
                                WRITE_AFTER_SHUTDOWN_BEGAN.set(jdbc.queryForObject("select 1", Integer.class));
                            });
                }
            };
        }
    }
}
