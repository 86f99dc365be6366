package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.sim.erp.ErpSimulator;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.StartsPackagedHubs;
import io.millwright.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Issue 8, hole 3 across processes: two packaged hubs ({@code target/millwright-*.jar}, each a child
 * process) on one PostgreSQL schema relay the same outbox at the same time, to the ERP simulator (in
 * this JVM) answering 20 % of POSTs with 500 and booking 10 % without answering (timeout after
 * commit). Both hubs post some of the backlog (each hub's log names the keys it posted); no key is
 * posted by both, none is in the ERP twice, and the ERP totals equal the plant totals per order.
 *
 * <p>The backlog is written only when both hubs are up, so neither drains it alone. Needs the jar (the
 * {@code package} phase before {@code integration-test}) and PostgreSQL on 127.0.0.1:5432. Run alone with
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ErpTwoHubsIT}.
 */
@StartsPackagedHubs
class ErpTwoHubsIT {

    static final int CONFIRMATIONS = Integer.getInteger("erp.two-hubs.confirmations", 300);
    static final int ORDERS = 30;
    /** {@code millwright.erp.post-batch-size} of both hubs: 1 (one POST each) unless {@code -Derp.post-batch-size} says otherwise. */
    static final int POST_BATCH_SIZE = Integer.getInteger("erp.post-batch-size", 1);
    static final String ADMIN_PASSWORD = "two-hubs-" + UUID.randomUUID();
    /** The relay's line for each document it posted or found by read-back (ConfirmationRelay). */
    static final Pattern HANDLED = Pattern.compile("ERP document (posted|found in SAP)[^\\n]* key=(\\S+)");

    final ErpBacklog backlog = new ErpBacklog(ORDERS, CONFIRMATIONS);
    Path work;
    TestDatabase db;
    NamedParameterJdbcTemplate jdbc;
    ErpSimulator erp;
    int erpPort;
    PackagedHub a;
    PackagedHub b;

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "erp-two-hubs", String.valueOf(System.currentTimeMillis())))
                .toAbsolutePath();
        db = TestDatabase.postgres();
        jdbc = db.jdbc();
        erpPort = FreePorts.next();
        erp = backlog.simulator(erpPort, "two-hubs-secret", work.resolve("erp")).start();
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        erp.close();
        db.close();
    }

    @Test
    void twoHubProcessesOnOneDatabase_relayTheSameOutbox_withoutADuplicate() throws Exception {
        // the Flyway migration runs in the first hub; the second starts on the migrated schema
        a = launch("hub-a");
        awaitUp(a);
        b = launch("hub-b");
        awaitUp(b);

        erp.failPostsAtRandom(0.20, 500);
        erp.dropResponsesAtRandom(0.10);
        // each POST takes a while, as in SAP, so both relays are at work at the same time
        erp.delayEachPost(Duration.ofMillis(20));
        long started = System.nanoTime();
        backlog.enqueue(jdbc);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            a.assertAlive();
            b.assertAlive();
            return ErpBacklog.countWhere(jdbc, "status <> 'POSTED'") == 0;
        });
        double seconds = (System.nanoTime() - started) / 1e9;

        Set<String> byA = handled(a);
        Set<String> byB = handled(b);
        Set<String> both = new HashSet<>(byA);
        both.retainAll(byB);
        long retried = ErpBacklog.retried(jdbc);
        System.out.printf("ErpTwoHubsIT (post-batch-size " + POST_BATCH_SIZE + "): %d confirmations drained in %.1f s; hub-a handled %d, hub-b %d, both %d;"
                + " posts received by the ERP %d; rows with more than one attempt %d%n",
                CONFIRMATIONS, seconds, byA.size(), byB.size(), both.size(), erp.postsReceived(), retried);

        assertThat(byA).as("keys hub-a posted or found").isNotEmpty();
        assertThat(byB).as("keys hub-b posted or found").isNotEmpty();
        assertThat(both).as("keys handled by both hubs").isEmpty();
        assertThat(byA.size() + byB.size()).as("every key handled by one hub").isEqualTo(CONFIRMATIONS);
        backlog.assertErpEqualsPlant(erp);
        assertThat(retried).as("the faults were real: rows that needed more than one attempt").isPositive();
    }

    private PackagedHub launch(String name) throws IOException {
        return PackagedHub.in(work.resolve(name)).name(name).database(db).heap("384m")
                // the relay needs no Kafka: no broker start in each hub (and nothing here reads Kafka or analytics)
                .withoutKafka()
                .adminPassword(ADMIN_PASSWORD)
                .arg("--millwright.erp.base-url=http://127.0.0.1:" + erpPort + ErpSimulator.SERVICE_PATH)
                .arg("--millwright.erp.username=millwright")
                .arg("--millwright.erp.relay-interval=100ms")
                .arg("--millwright.erp.retry-backoff=200ms")
                .arg("--millwright.erp.max-retry-backoff=1s")
                .arg("--millwright.erp.request-timeout=2s")
                .arg("--millwright.erp.processing-timeout=3s")
                .arg("--millwright.erp.claim-lease=5s")
                .arg("--millwright.erp.relay-batch-size=" + ORDERS)
                .arg("--millwright.erp.post-batch-size=" + POST_BATCH_SIZE)
                .env("MILLWRIGHT_ERP_PASSWORD", "two-hubs-secret")
                .start();
    }

    /** Until the hub answers its health endpoint (its routes, the relay among them, are started then). */
    private static void awaitUp(PackagedHub hub) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            hub.assertAlive();
            return hub.getJson("/actuator/health") != null;
        });
    }

    /** The keys the hub's relay posted or found in SAP, from its log. */
    private static Set<String> handled(PackagedHub hub) throws IOException {
        Set<String> keys = new HashSet<>();
        Matcher matcher = HANDLED.matcher(Files.readString(hub.dir().resolve(hub.name() + ".out.log")));
        while (matcher.find()) {
            keys.add(matcher.group(2));
        }
        return keys;
    }
}
