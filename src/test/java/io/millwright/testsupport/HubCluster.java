package io.millwright.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Packaged hubs ({@link PackagedHub}) in one cluster, as the README's "Scale out" runs them: one database, one
 * shared lock folder ({@code millwright.cluster.root}), {@code millwright.cluster.enabled}; one of them leads the
 * OPC UA connection {@code plant-sim} and runs its ingest route {@link #ROUTE}, the others stand by. For the
 * failover tests: start the members, kill the leader, time the standby's takeover.
 *
 * <pre>{@code
 * HubCluster cluster = new HubCluster(work, db, adminPassword);
 * PackagedHub a = cluster.member("a").env("MILLWRIGHT_ERP_PASSWORD", "x").start();
 * PackagedHub b = cluster.member("b").env("MILLWRIGHT_ERP_PASSWORD", "x").start(); // after a is up
 * HubCluster.Takeover takeover = HubCluster.killAndAwaitTakeover(a, b);           // a leads, b stands by
 * }</pre>
 */
public final class HubCluster {

    /** The OPC UA ingest route of connection {@code plant-sim}: only the leader runs it. */
    public static final String ROUTE = "ot-plant-sim-opcua-ingest";
    /** The connection the members read (its {@code adapters/opcua/plant-sim.yaml}). */
    public static final String CONNECTION = "plant-sim";

    private final Path work;
    private final TestDatabase db;
    private final String adminPassword;

    /** Members' folders under {@code work} ({@code hub-<name>}, and the lock folder {@code cluster}), on {@code db}. */
    public HubCluster(Path work, TestDatabase db, String adminPassword) throws IOException {
        this.work = work;
        this.db = db;
        this.adminPassword = adminPassword;
        Files.createDirectories(lockFolder());
    }

    /** The shared lock folder. */
    public Path lockFolder() {
        return work.resolve("cluster");
    }

    /** Member {@code name}'s work folder, {@code hub-<name>} (laid out at start when it has no config yet). */
    public Path folder(String name) {
        return work.resolve("hub-" + name);
    }

    /** How to start member {@code name}: in the cluster, on the database, 320 MB heap; the test adds its own settings. */
    public PackagedHub.Builder member(String name) {
        return PackagedHub.in(folder(name)).name(name).database(db).heap("320m").adminPassword(adminPassword)
                .arg("--millwright.cluster.enabled=true")
                .arg("--millwright.cluster.root=" + lockFolder());
    }

    /** From the leader's death (SIGKILL, at {@code killedAt}, ms since the epoch) to the standby's route started and first value. */
    public record Takeover(long killedAt, long routeMillis, long valueMillis) {}

    /**
     * Kills {@code leader} with SIGKILL (no clean-up, its lock file stays behind) and waits up to 60 s until
     * {@code standby} runs {@link #ROUTE} and has had a value on {@link #CONNECTION}; polled every 100 ms.
     */
    public static Takeover killAndAwaitTakeover(PackagedHub leader, PackagedHub standby) throws InterruptedException {
        leader.kill();
        long killedAt = System.currentTimeMillis();
        long[] startedAt = {0};
        long[] valueAt = {0};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long now = System.currentTimeMillis();
            if (startedAt[0] == 0 && standby.runs(ROUTE)) {
                startedAt[0] = now;
            }
            if (valueAt[0] == 0 && standby.lastValueTime(CONNECTION) != null) {
                valueAt[0] = now;
            }
            return startedAt[0] != 0 && valueAt[0] != 0;
        });
        return new Takeover(killedAt, startedAt[0] - killedAt, valueAt[0] - killedAt);
    }
}
