package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.sim.erp.ErpSimulator;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.StartsPackagedHubs;
import io.millwright.testsupport.TestDatabase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Issue 8, the fault run: the packaged hub ({@code target/millwright-*.jar}, run as a child
 * process on a fresh PostgreSQL schema) relays a backlog of confirmations to the ERP simulator
 * (in this JVM) while everything goes wrong at once: 20 % of POSTs answer 500, 5 % answer SAP's
 * lock error, 5 % are booked but answered 504 (timeout after commit), one order answers 403 while
 * the others flow, the ERP is down for a while, and the hub is killed with SIGKILL three times
 * during the backlog and started again. At the end (after the 403 order's user is fixed and its
 * parked confirmations are resubmitted through the tracking API) the ERP totals equal the plant
 * (ledger) totals of every order exactly and no key is in the ERP twice.
 *
 * <p>Size: {@code -Derp.fault.confirmations}, default 100 for CI (60 passed in 528 s at load average 25-44 on 2 cores); the 2,000 is the soak command
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ErpKillNineIT
 * -Derp.fault.confirmations=2000} (passed 2026-12-01 in 863 s: 2,759 POSTs for 2,000 confirmations, 554 rows
 * retried; figures in docs/benchmarks.md). Most of the time goes into the four hub starts. Needs the jar
 * (the {@code package} phase before {@code integration-test} builds it) and PostgreSQL on
 * 127.0.0.1:5432 ({@link TestDatabase#postgres()}). {@code -Derp.post-batch-size=8} runs the hubs with
 * {@code $batch} on. Run alone with
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ErpKillNineIT}.
 */
@StartsPackagedHubs
class ErpKillNineIT {

    /** 2,000 (the figure) in the soak command; fewer by default, so CI on 2 shared cores stays within minutes. */
    static final int CONFIRMATIONS = Integer.getInteger("erp.fault.confirmations", 100);
    static final int ORDERS = 40;
    /** {@code millwright.erp.post-batch-size} of the hubs: 1 (one POST each) unless {@code -Derp.post-batch-size} says otherwise, as in ErpTwoHubsIT. */
    static final int POST_BATCH_SIZE = Integer.getInteger("erp.post-batch-size", 1);
    final ErpBacklog backlog = new ErpBacklog(ORDERS, CONFIRMATIONS);
    static final String FORBIDDEN_ORDER = "3000013";
    static final String ADMIN_PASSWORD = "fault-run-" + UUID.randomUUID();

    /** Under target/, kept after the run: the hubs' logs are what to read when it fails. */
    Path work;

    TestDatabase db;
    NamedParameterJdbcTemplate jdbc;
    ErpSimulator erp;
    int erpPort;
    PackagedHub hub;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "erp-kill-nine", String.valueOf(System.currentTimeMillis())))
                .toAbsolutePath();
        db = TestDatabase.postgres();
        jdbc = db.jdbc();
        erpPort = FreePorts.next();
        erp = backlog.simulator(erpPort, "fault-secret", work.resolve("erp")).start();
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        erp.close();
        db.close();
    }

    @Test
    void erpTotalsEqualPlantTotals_andNoKeyTwice_whenEverythingFailsAndTheHubIsKilledThreeTimes() throws Exception {
        backlog.enqueue(jdbc);
        erp.failPostsAtRandom(0.20, 500);
        erp.lockPostsAtRandom(0.05);
        erp.dropResponsesAtRandom(0.05);
        erp.forbidOrder(FORBIDDEN_ORDER);

        hub = launchHub(1);
        int[] killAt = {CONFIRMATIONS / 5, CONFIRMATIONS * 2 / 5, CONFIRMATIONS * 3 / 5};
        for (int kill = 0; kill < killAt.length; kill++) {
            int threshold = killAt[kill];
            // generous: on a loaded 2-core machine the hub alone needs minutes to start
            awaitPosted(threshold, Duration.ofMinutes(10));
            int postedBefore = posted();
            // SIGKILL: no shutdown hook, no finished transaction, claims left behind
            hub.kill();
            log.add("SIGKILL " + (kill + 1) + " at " + postedBefore + " posted of " + CONFIRMATIONS);
            System.out.println("ErpKillNineIT: " + log.get(log.size() - 1));
            assertThat(postedBefore).as("killed during the backlog").isLessThan(CONFIRMATIONS - CONFIRMATIONS / 10);
            if (kill == 0) {
                // and the ERP is down for a while, while the hub starts again
                erp.close();
                log.add("ERP down");
                hub = launchHub(kill + 2);
                // down until the restarted hub has found it down (connection refused, or its breaker opened)
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> hub.isAlive()
                        && countWhere("last_error LIKE '%SAP unreachable%' OR last_error LIKE '%circuit breaker is open%'") > 0);
                erp.start();
                log.add("ERP up again");
            } else {
                hub = launchHub(kill + 2);
            }
        }

        // every order but the forbidden one drains; the forbidden one's confirmations are parked
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(2)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM confirmation_outbox WHERE status <> 'POSTED' AND order_id <> :order",
                new MapSqlParameterSource("order", FORBIDDEN_ORDER), Integer.class) == 0);
        assertThat(countWhere("status = 'PARKED' AND order_id = '" + FORBIDDEN_ORDER + "'")).as("403 order parked").isPositive();
        assertThat(erp.totalYield(FORBIDDEN_ORDER, "0010")).isEqualByComparingTo("0");

        // the SAP team fixes the user; the operator resubmits what is parked, by query
        erp.permitOrder(FORBIDDEN_ORDER);
        HttpResponse<String> resubmit = admin("POST", "/api/tracking/resubmit?status=parked&order=" + FORBIDDEN_ORDER);
        assertThat(resubmit.statusCode()).as(resubmit.body()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> countWhere("status <> 'POSTED'") == 0);

        backlog.assertErpEqualsPlant(erp);
        long retried = ErpBacklog.retried(jdbc);
        System.out.println("ErpKillNineIT: " + CONFIRMATIONS + " confirmations, " + log + ", posts received by the ERP "
                + erp.postsReceived() + ", rows with more than one attempt " + retried);
        assertThat(retried).as("the faults were real: rows that needed more than one attempt").isPositive();
    }

    private PackagedHub launchHub(int run) throws IOException {
        PackagedHub started = PackagedHub.in(work).name("hub-" + run).database(db).heap("384m")
                // the relay needs no Kafka: no broker start in each hub (and nothing here reads Kafka or analytics)
                .withoutKafka()
                .adminPassword(ADMIN_PASSWORD)
                .arg("--millwright.erp.base-url=http://127.0.0.1:" + erpPort + ErpSimulator.SERVICE_PATH)
                .arg("--millwright.erp.username=millwright")
                .arg("--millwright.erp.relay-interval=100ms")
                .arg("--millwright.erp.retry-backoff=200ms")
                .arg("--millwright.erp.max-retry-backoff=2s")
                .arg("--millwright.erp.request-timeout=2s")
                .arg("--millwright.erp.processing-timeout=3s")
                .arg("--millwright.erp.claim-lease=5s")
                .arg("--millwright.erp.relay-batch-size=" + ORDERS)
                .arg("--millwright.erp.post-batch-size=" + POST_BATCH_SIZE)
                .env("MILLWRIGHT_ERP_PASSWORD", "fault-secret")
                .start();
        log.add("hub " + run + " started");
        System.out.println("ErpKillNineIT: hub " + run + " started at " + posted() + " posted; logs in " + work);
        return started;
    }

    private void awaitPosted(int posted, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            hub.assertAlive();
            return posted() >= posted;
        });
    }

    private int posted() {
        return countWhere("status = 'POSTED'");
    }

    private int countWhere(String condition) {
        return ErpBacklog.countWhere(jdbc, condition);
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return hub.send(method, path, Duration.ofSeconds(30));
    }
}
