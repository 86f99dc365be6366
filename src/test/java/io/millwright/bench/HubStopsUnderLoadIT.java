package io.millwright.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.StartsPackagedHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The review's report: a hub under heavy load did not stop within 20 s of SIGTERM. The packaged hub
 * (embedded Kafka and Artemis, side routes on, as shipped) reads 10,000 items changing every 100 ms
 * (100,000 changes/s offered, more than 2 cores handle, so that the hand-off is full at the stop: at the
 * 25,000 changes/s this test offered before, the hub now keeps up and had nothing queued) from the
 * benchmark's OPC UA server, with a dashboard stream open; then
 * it gets SIGTERM, as systemd and Kubernetes stop it, and must have ended within 20 s. The OPC UA
 * consumer closes its session and subscriptions first, refuses (counted) what Milo still hands over,
 * and then hands what is queued in its hand-off on to the brokers until the hand-off is empty or
 * half of {@code camel.main.shutdown-timeout} has passed. The test asserts that nothing entered the
 * hand-off after the intake closed, nothing vanished, and whatever was left is in the discard line
 * (and in {@code millwright.ot.opcua.handoff.dropped}). It does not require 0 left: at 100,000
 * changes/s offered the hand-off is full (100,000) at the stop, and how much of it the route moves
 * within the limit depends on the machine: all of it in 4.6 s at load average 8 on 2 cores, 7,000 in
 * 7.8 s at load average 30 (docs/benchmarks.md). The hub must end within 20 s either way. The test prints the figures; the hub's log under
 * {@code target/hub-sigterm/} says which phase took what.
 *
 * <p>Needs the jar (the {@code package} phase). Run alone with
 * {@code ./mvnw -B -o verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=HubStopsUnderLoadIT}.
 */
@StartsPackagedHubs(quickStart = false)
class HubStopsUnderLoadIT {

    static final int ITEMS = 10_000;
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final String ADMIN_PASSWORD = "sigterm-under-load-Pw-1";
    /** The consumer's line at the stop. */
    static final Pattern DRAINED = Pattern.compile(
            "OPC UA hand-off drained at stop connection=\\S+ queuedAtStop=(\\d+) delivered=(\\d+) left=(\\d+) tookMs=(\\d+)"
                    + " limitMs=(\\d+) refusedAfterSessionClosed=(\\d+) workers=(\\d+)");

    @Test
    void hubEndsWithinTwentySecondsOfSigterm_whileOfferedMoreChangesThanItCanTake() throws Exception {
        Path run = Files.createDirectories(Path.of("target", "hub-sigterm", String.valueOf(System.currentTimeMillis())))
                .toAbsolutePath();
        int port = FreePorts.next();
        Thread server = new Thread(() -> {
            try {
                BenchOpcUaServer.main(new String[] {"--items", String.valueOf(ITEMS), "--interval", INTERVAL.toMillis() + "ms",
                        "--port", String.valueOf(port)});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-opcua-server");
        server.setDaemon(true);
        server.start();
        Path work = HubWorkDir.create(run, Path.of("").toAbsolutePath(), "opc.tcp://127.0.0.1:" + port + BenchOpcUaServer.PATH,
                ITEMS, INTERVAL, false);

        try (PackagedHub hub = PackagedHub.in(work).name("loaded").heap("512m").adminPassword(ADMIN_PASSWORD)
                // the JVM as shipped: the load and the stop under it are what is measured
                .quickStart(false).start()) {
            try {
                await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> valuesPerSecond(hub) > ITEMS);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the hub did not read the server; its log is in " + work, e);
            }
            // a dashboard follows the live feed: its stream is open and has had its snapshot (was: a blind 10 s
            // sleep after sending the request, which never checked that the stream was open)
            String credentials = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + hub.httpPort() + "/api/dashboard/events"))
                    .header("Authorization", "Basic " + credentials).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines()).get(60, TimeUnit.SECONDS);
            assertThat(stream.statusCode()).as("the dashboard stream").isEqualTo(200);
            CompletableFuture<Boolean> snapshot = CompletableFuture.supplyAsync(
                    () -> stream.body().anyMatch(line -> line.startsWith("event:") && line.contains("snapshot")));
            assertThat(snapshot.get(60, TimeUnit.SECONDS)).as("the dashboard has its snapshot").isTrue();
            // and the hub still reads the server at full rate when it gets SIGTERM
            double rate = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> valuesPerSecond(hub), perSecond -> perSecond > ITEMS);

            long start = System.nanoTime();
            boolean ended = hub.terminate(Duration.ofSeconds(90));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("HubStopsUnderLoadIT: SIGTERM at %.0f values/s; the hub %s after %d ms; log in %s%n", rate,
                    ended ? "ended" : "was still running", millis, work);

            assertThat(ended).as("hub ended within 90 s of SIGTERM").isTrue();
            // the hand-off: intake closed first, then what was queued went on to the brokers until the limit
            String log = Files.readString(work.resolve(hub.name() + ".out.log"));
            Matcher drained = DRAINED.matcher(log);
            assertThat(drained.find()).as("the OPC UA hand-off's drain line in %s", work).isTrue();
            long queued = Long.parseLong(drained.group(1));
            long delivered = Long.parseLong(drained.group(2));
            long left = Long.parseLong(drained.group(3));
            long refused = Long.parseLong(drained.group(6));
            int workers = Integer.parseInt(drained.group(7));
            System.out.printf("HubStopsUnderLoadIT: OPC UA hand-off at SIGTERM: %d changes queued when the session was closed,"
                    + " %d delivered in %s ms (limit %s ms), %d left and discarded; %d refused from Milo after the session closed%n",
                    queued, delivered, drained.group(4), drained.group(5), left, refused);
            // nothing entered the hand-off after the intake closed, and nothing vanished; delivered also
            // counts the batch in each worker's hands when the stop began (up to max-batch, 1,000) and the
            // change of a notification thread inside its last 100 ms offer (one per subscription)
            assertThat(delivered + left).as("delivered and left of the %d queued at the stop", queued)
                    .isBetween(queued, queued + workers * 1_000L + 16);
            if (left > 0 || refused > 0) {
                assertThat(log).as("the discard line, counted").contains("OPC UA changes discarded at stop connection="
                        + HubWorkDir.CONNECTION + " discarded=" + left + " refusedAfterSessionClosed=" + refused);
            } else {
                assertThat(log).as("the hub's log").doesNotContain("OPC UA changes discarded at stop");
            }
            assertThat(millis).as("ms from SIGTERM to the hub's exit").isLessThan(20_000);
            // the packaged jar's lz4-java sits under Spring Boot's class loader, where lz4-java alone would
            // take its pure-Java codec; ops.Lz4Codec loads the native one before Kafka starts
            assertThat(log).as("the Kafka producer's codec in the packaged hub").contains("compression=lz4 lz4Codec=native");
        }
    }

    private static double valuesPerSecond(PackagedHub hub) {
        JsonNode health = hub.getJson("/actuator/health/opcua");
        return health == null ? 0 : health.path("details").path(HubWorkDir.CONNECTION).path("valuesPerSecond").asDouble(0);
    }
}
