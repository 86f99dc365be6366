package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.millwright.MillwrightApplication;
import io.millwright.testsupport.HubTestProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A hub under load did not stop within 20 s of SIGTERM (the review; Kubernetes kills a pod 30 s after
 * it, systemd after 90 s, and a hub that is killed loses what it has not handed on). What held it:
 * an open dashboard stream (Server-Sent Events, open for {@code millwright.dashboard.stream-timeout},
 * 30 min), which the web server's graceful shutdown waited for up to Spring's 30 s per phase, and an
 * exchange that does not finish, which Camel waited for up to its default 45 s. Both are what a
 * loaded hub has: dashboards open and a route waiting on a slow broker or database. The hub's
 * shutdown (the same {@code context.close()} the SIGTERM hook runs) now ends within its bound.
 */
class BoundedShutdownTest {

    private static final String ADMIN_PASSWORD = "shutdown-bound-Pw-1";
    private static final CountDownLatch STUCK = new CountDownLatch(1);
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @TempDir
    Path dataDir;

    @Test
    void hubStopsWithinTwentySeconds_withADashboardStreamOpenAndAnExchangeThatDoesNotFinish() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MillwrightApplication.class, StuckRoute.class)
                .run(HubTestProperties.withoutBrokers(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--millwright.security.admin-password=" + ADMIN_PASSWORD,
                        "--millwright.data-dir=" + dataDir,
                        "--millwright.sim.erp.enabled=false",
                        "--millwright.ot.enabled=false",
                        "--management.health.jms.enabled=false"));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();

        // a dashboard follows the live feed: its stream is open and has had its snapshot
        HttpClient http = HttpClient.newHttpClient();
        String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/dashboard/events"))
                        .header("Authorization", "Basic " + credentials).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<Boolean> snapshot = CompletableFuture.supplyAsync(
                () -> response.body().anyMatch(line -> line.startsWith("event:") && line.contains("snapshot")));
        assertThat(snapshot.get(60, TimeUnit.SECONDS)).as("the dashboard has its snapshot").isTrue();

        // and an exchange that will not finish by itself
        CamelContext camel = context.getBean(CamelContext.class);
        camel.createProducerTemplate().asyncSendBody("seda:shutdown-stuck", "waits forever");
        assertThat(STUCK.await(30, TimeUnit.SECONDS)).as("exchange in flight").isTrue();

        long start = System.nanoTime();
        Thread closer = new Thread(context::close, "test-close");
        closer.start();
        closer.join(TimeUnit.SECONDS.toMillis(90));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("BoundedShutdownTest: the hub stopped in " + millis + " ms with a dashboard stream open and an"
                + " exchange in flight");

        assertThat(closer.isAlive()).as("close finished within 90 s").isFalse();
        assertThat(millis).as("ms from the start of shutdown to its end").isLessThan(20_000);
        assertThat(camel.isStopped()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    static class StuckRoute {

        @Bean
        RouteBuilder shutdownStuckRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("seda:shutdown-stuck").routeId("test-shutdown-stuck")
                            .process(exchange -> {
                                STUCK.countDown();
                                NEVER.await(5, TimeUnit.MINUTES);
                            });
                }
            };
        }
    }
}
