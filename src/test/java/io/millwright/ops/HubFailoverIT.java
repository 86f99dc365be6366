package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.sim.plant.PlantSimulator;
import io.millwright.sim.plant.PlantSimulatorProperties;
import io.millwright.testsupport.FreePorts;
import io.millwright.testsupport.HubCluster;
import io.millwright.testsupport.PackagedHub;
import io.millwright.testsupport.StartsPackagedHubs;
import io.millwright.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, scale-out: two full hubs (the packaged jar, two child processes with their own ports
 * and data folders, one PostgreSQL schema) with {@code millwright.cluster.enabled} on one shared
 * lock folder, and one OPC UA server (the plant simulator, in this JVM). Only one hub runs the OPC
 * UA ingest route and the server sees one subscription (and two sessions: the standby keeps a warm one
 * without subscriptions); when that hub is killed with SIGKILL (no clean-up, its lock file stays behind)
 * the other starts the route and has its first value within 10 s.
 * The test prints the failover time: from the kill to the standby's route started, and to its first value.
 *
 * <p>Needs the jar (the {@code package} phase before {@code integration-test} builds it) and
 * PostgreSQL on 127.0.0.1:5432 ({@link TestDatabase#postgres()}). Run alone with
 * {@code ./mvnw -B -o verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=HubFailoverIT}.
 * Each hub runs its own embedded brokers on its own ports (the election does not involve them); two hub
 * starts on 2 shared cores are the cost of this test.
 */
@StartsPackagedHubs
class HubFailoverIT {

    static final String ADMIN_PASSWORD = "failover-" + UUID.randomUUID();
    static final String ROUTE = HubCluster.ROUTE;

    /** Under target/, kept after the run: the hubs' logs are what to read when it fails. */
    Path work;

    TestDatabase db;
    PlantSimulator plant;
    HubCluster cluster;
    final List<PackagedHub> hubs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        work = PackagedHub.runFolder("hub-failover");
        db = TestDatabase.postgres();
        int opcuaPort = FreePorts.next();
        plant = new PlantSimulator(new PlantSimulatorProperties(true, opcuaPort, "127.0.0.1", null, 1, 2, "0010",
                Duration.ofMillis(100), false, 11L, Map.of()));
        plant.start();
        cluster = new HubCluster(work, db, ADMIN_PASSWORD);
        for (String name : List.of("a", "b")) {
            PackagedHub.prepareWorkDir(cluster.folder(name), opcuaPort,
                    "Line1.Machine1.Temperature", "Line1.Machine1.GoodCount", "Line1.Machine2.Temperature");
        }
    }

    @AfterEach
    void stop() {
        hubs.forEach(PackagedHub::close);
        if (plant != null) {
            plant.stop();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void standbyRunsTheOpcUaRouteWithinTenSeconds_whenTheLeaderHubIsKilled() throws Exception {
        PackagedHub a = launchHub("a");
        // b after a has started: two first starts on one empty schema race in analytics' KPI mark
        // (update-then-insert, a duplicate key fails the second hub's start)
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> a.routeStatus(ROUTE) != null);
        PackagedHub b = launchHub("b");

        // both up, exactly one runs the route (generous: two hub starts on 2 shared cores)
        try {
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500))
                    .until(() -> a.routeStatus(ROUTE) != null && b.routeStatus(ROUTE) != null
                            && (isStarted(a) || isStarted(b)) && lastValueTime(isStarted(a) ? a : b) != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("hubs not both up with one running " + ROUTE + ": a " + a.routeStatus(ROUTE) + " value "
                    + lastValueTime(a) + ", b " + b.routeStatus(ROUTE) + " value " + lastValueTime(b) + "; logs in " + work, e);
        }
        Thread.sleep(3_000); // a few lock intervals with both hubs up
        assertThat(List.of(a.routeStatus(ROUTE), b.routeStatus(ROUTE))).as("route %s on hub a and hub b", ROUTE)
                .containsExactlyInAnyOrder("Started", "Stopped");
        // the leader subscribes; the standby holds an open session without subscriptions (warm standby)
        assertThat(plant.subscriptionCount()).as("OPC UA subscriptions on the server: one hub subscribes").isEqualTo(1);
        assertThat(plant.sessionCount()).as("OPC UA sessions on the server: the leader's and the warm standby's")
                .isEqualTo(2);
        PackagedHub leader = isStarted(a) ? a : b;
        PackagedHub standby = leader == a ? b : a;
        assertThat(lastValueTime(standby)).as("the standby received no value").isNull();

        // the operations dashboard (config/grafana/millwright-operations.json) asks only for meters a hub
        // that leads its OPC UA connection exposes
        String scrape = leader.send("GET", "/actuator/prometheus", Duration.ofSeconds(30)).body();
        Files.writeString(work.resolve("prometheus-" + leader.name() + ".txt"), scrape);
        assertThat(OperationsDashboardTest.meterNamesMissingFrom(scrape))
                .as("meters of the operations dashboard missing from the leader's /actuator/prometheus").isEmpty();

        HubCluster.Takeover takeover = HubCluster.killAndAwaitTakeover(leader, standby);
        long routeMillis = takeover.routeMillis();
        long valueMillis = takeover.valueMillis();
        System.out.println("HubFailoverIT: leader hub " + leader.name() + " killed; hub " + standby.name()
                + " started " + ROUTE + " after " + routeMillis + " ms and had its first OPC UA value after "
                + valueMillis + " ms (cluster lock interval 1 s, heartbeat timeout 3 intervals, warm standby); logs in " + work);

        // the takeover (the 10 s): the standby holds the lock and runs the route
        assertThat(routeMillis).as("ms from the leader's death to the route started at the standby").isLessThan(10_000);
        // then it subscribes on the session its warm standby client holds open (cold, connecting took 16 s of
        // 21 s at load average 20 on 2 cores; warm: first value after 4.2 s at load 18)
        assertThat(valueMillis).as("ms from the leader's death to the first value at the standby").isLessThan(10_000);
        assertThat(plant.sessionCount()).as("OPC UA sessions: the standby's, and the killed leader's until it times out")
                .isBetween(1, 2);
        assertThat(plant.subscriptionCount()).as("OPC UA subscriptions: the new leader's, and the killed leader's"
                + " until its session times out").isBetween(1, 2);
    }

    private PackagedHub launchHub(String name) throws IOException {
        PackagedHub hub = cluster.member(name)
                .env("MILLWRIGHT_MES_PASSWORD", "failover-mes-" + name)
                .env("MILLWRIGHT_ERP_PASSWORD", "failover-erp")
                .start();
        hubs.add(hub);
        return hub;
    }

    private static boolean isStarted(PackagedHub hub) {
        return hub.runs(ROUTE);
    }

    private static String lastValueTime(PackagedHub hub) {
        return hub.lastValueTime(HubCluster.CONNECTION);
    }
}
