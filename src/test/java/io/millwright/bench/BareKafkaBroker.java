package io.millwright.bench;

import io.millwright.backbone.EmbeddedKraftKafka;
import io.millwright.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The Kafka broker of the bare baseline, in its own JVM: the hub's own {@link EmbeddedKraftKafka}
 * (Kafka 3.9.2's KRaft server classes, broker and controller in one process) on free loopback
 * ports with its log in a temporary directory, removed on exit. Running it apart from the bare
 * client lets the benchmark report the client's and the broker's CPU separately; the hub's broker
 * runs inside the hub, so only their sum compares with the hub.
 *
 * <p>Prints {@code BENCH bootstrap=127.0.0.1:<port>} once the broker serves clients, then runs
 * until the process is stopped.
 */
public final class BareKafkaBroker {

    private BareKafkaBroker() {}

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse("BareKafkaBroker", args, Set.of(), Set.of("partitions"));
        Path dataDir = Files.createTempDirectory("millwright-bench-kafka");
        EmbeddedKraftKafka kafka = new EmbeddedKraftKafka(
                "127.0.0.1", FreePorts.next(), FreePorts.next(), dataDir, options.integer("partitions", 3));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } finally {
                TempDirs.delete(dataDir);
                stopped.countDown();
            }
        }, "bench-kafka-stop"));
        kafka.start();
        System.out.println("BENCH bootstrap=" + kafka.bootstrapServers());
        stopped.await();
    }
}
