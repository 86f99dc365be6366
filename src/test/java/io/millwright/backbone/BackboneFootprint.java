package io.millwright.backbone;

import io.millwright.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark, not a test: starts both embedded brokers in this JVM on free ports and a temporary
 * data dir, prints start-to-ready times and the JVM's resident memory (Linux /proc), then stops
 * them. Run with the test classpath: {@code java -cp target/test-classes:target/classes:<deps>
 * io.millwright.backbone.BackboneFootprint [rounds]}. Figures go to docs/backbone.md.
 */
public final class BackboneFootprint {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dataDir = Files.createTempDirectory("millwright-footprint");
        int artemisPort = FreePorts.next();
        int kafkaPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        System.out.printf("before brokers rssMiB=%d%n", rssMiB());
        for (int round = 1; round <= rounds; round++) {
            EmbeddedArtemisBroker artemis = new EmbeddedArtemisBroker("127.0.0.1", artemisPort, dataDir);
            EmbeddedKraftKafka kafka = new EmbeddedKraftKafka("127.0.0.1", kafkaPort, controllerPort, dataDir, 3);
            long t0 = System.nanoTime();
            artemis.start();
            long t1 = System.nanoTime();
            kafka.start();
            long t2 = System.nanoTime();
            System.gc();
            System.out.printf("round=%d dataDir=%s artemisReadyMillis=%d kafkaReadyMillis=%d rssMiB=%d heapUsedMiB=%d%n",
                    round, round == 1 ? "fresh" : "kept", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, rssMiB(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            kafka.close();
            artemis.close();
        }
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
