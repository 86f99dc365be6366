package io.millwright.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.PackagedHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The review's report: a hub under heavy load did not stop within 20 s of SIGTERM. The packaged hub
 * (embedded Kafka and Artemis, side routes on, as shipped) reads 5,000 items changing every 200 ms
 * (25,000 changes/s offered) from the benchmark's OPC UA server, with a dashboard stream open; then
 * it gets SIGTERM, as systemd and Kubernetes stop it, and must have ended within 20 s. The OPC UA
 * consumer ends its subscriptions first and then hands everything still queued in its hand-off on to
 * the brokers: none may be left (discarded). The test prints the time and the hand-off's figures; the
 * hub's log under {@code target/hub-sigterm/} says which phase took what.
 *
 * <p>Needs the jar (the {@code package} phase). Run alone with
 * {@code ./mvnw -B -o verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=HubStopsUnderLoadIT}.
 */
class HubStopsUnderLoadIT {

    static final int ITEMS = 5_000;
    static final String ADMIN_PASSWORD = "sigterm-under-load-Pw-1";
    /** HandoffWorker's line at the stop. */
    static final Pattern DRAINED = Pattern.compile(
            "OPC UA hand-off drained at stop connection=\\S+ queuedAtStop=(\\d+) delivered=(\\d+) left=(\\d+) tookMs=(\\d+)");

    @Test
    void hubEndsWithinTwentySecondsOfSigterm_whileReadingTwentyFiveThousandChangesPerSecond() throws Exception {
        Path run = Files.createDirectories(Path.of("target", "hub-sigterm", String.valueOf(System.currentTimeMillis())))
                .toAbsolutePath();
        int port = FreePorts.next();
        Thread server = new Thread(() -> {
            try {
                BenchOpcUaServer.main(new String[] {"--items", String.valueOf(ITEMS), "--interval", "200ms",
                        "--port", String.valueOf(port)});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-opcua-server");
        server.setDaemon(true);
        server.start();
        Path work = HubWorkDir.create(run, Path.of("").toAbsolutePath(), "opc.tcp://127.0.0.1:" + port + BenchOpcUaServer.PATH,
                ITEMS, Duration.ofMillis(200), false);

        try (PackagedHub hub = PackagedHub.in(work).name("loaded").heap("512m").adminPassword(ADMIN_PASSWORD).start()) {
            try {
                await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> valuesPerSecond(hub) > ITEMS);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the hub did not read the server; its log is in " + work, e);
            }
            // a dashboard follows the live feed
            String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/dashboard/events"))
                    .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.discarding());
            Thread.sleep(10_000);
            double rate = valuesPerSecond(hub);

            long start = System.nanoTime();
            boolean ended = hub.terminate(Duration.ofSeconds(90));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("HubStopsUnderLoadIT: SIGTERM at %.0f values/s; the hub %s after %d ms; log in %s%n", rate,
                    ended ? "ended" : "was still running", millis, work);

            assertThat(ended).as("hub ended within 90 s of SIGTERM").isTrue();
            // the hand-off: intake stopped first, then everything queued went on to the brokers
            String log = Files.readString(work.resolve(hub.name() + ".out.log"));
            Matcher drained = DRAINED.matcher(log);
            assertThat(drained.find()).as("the OPC UA hand-off's drain line in %s", work).isTrue();
            System.out.printf("HubStopsUnderLoadIT: OPC UA hand-off at SIGTERM: %s changes queued, %s delivered in %s ms,"
                    + " %s left%n", drained.group(1), drained.group(2), drained.group(4), drained.group(3));
            assertThat(Long.parseLong(drained.group(3))).as("OPC UA changes left in the hand-off at the stop").isZero();
            assertThat(log).as("the hub's log").doesNotContain("OPC UA changes discarded at stop");
            assertThat(millis).as("ms from SIGTERM to the hub's exit").isLessThan(20_000);
        }
    }

    private static double valuesPerSecond(PackagedHub hub) {
        JsonNode health = hub.getJson("/actuator/health/opcua");
        return health == null ? 0 : health.path("details").path(HubWorkDir.CONNECTION).path("valuesPerSecond").asDouble(0);
    }
}
