package io.millwright.ot.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.millwright.model.SourceReading;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/**
 * Prints the component's CPU cost per change, without network and server: a thread plays Milo's
 * notification thread (one {@link MonitoredNode} per node, pre-built DataValues), the hand-off and
 * the worker run as in production, and each batch goes through a Camel route to a no-op. CPU time
 * of both threads divided by the changes. Not part of the suite (the name ends in Benchmark); run
 * with {@code ./mvnw -B test -Dtest=HandoffThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HandoffThroughputBenchmark {

    private static final int NODES = 10_000;
    private static final int CHANGES = 5_000_000;

    @Test
    void printsCpuMicrosecondsPerChange() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OpcUaConnectionStatus status = new OpcUaConnectionStatus("bench", "opc.tcp://bench:4840", 100_000);
        // one worker: its CPU per change is what this prints (more workers share the same work out)
        HandoffSettings defaults = HandoffSettings.DEFAULTS;
        Handoff handoff = new Handoff("bench", new HandoffSettings(defaults.capacity(), defaults.whenFull(), defaults.maxBatch(), 1),
                status);
        AtomicLong delivered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bench").routeId("bench").process(e -> {
                        if (delivered.addAndGet(e.getMessage().getBody(List.class).size()) >= CHANGES) {
                            done.countDown();
                        }
                    });
                }
            });
            camel.start();
            Endpoint endpoint = camel.getEndpoint("direct:bench");
            Processor route = endpoint.createProducer();
            AtomicLong workerCpu = new AtomicLong();
            HandoffWorker worker = new HandoffWorker("bench", handoff, 1_000, (List<SourceReading> readings) -> {
                Exchange exchange = endpoint.createExchange();
                exchange.getMessage().setBody(readings);
                try {
                    route.process(exchange);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                workerCpu.set(threads.getCurrentThreadCpuTime());
            });
            MonitoredNode[] nodes = new MonitoredNode[NODES];
            DataValue[] values = new DataValue[NODES];
            DateTime now = DateTime.now();
            for (int i = 0; i < NODES; i++) {
                nodes[i] = new MonitoredNode("nsu=urn:bench;s=Node" + i, handoff);
                values[i] = new DataValue(new Variant((double) i), StatusCode.GOOD, now, now);
            }
            // warm-up round, then the measured one
            for (int round = 0; round < 2; round++) {
                delivered.set(0);
                CountDownLatch roundDone = round == 0 ? new CountDownLatch(0) : done;
                if (round == 0) {
                    worker.start();
                }
                long wall = System.nanoTime();
                long notifyCpu = threads.getCurrentThreadCpuTime();
                long workerStart = workerCpu.get();
                for (int i = 0; i < CHANGES; i++) {
                    nodes[i % NODES].onDataReceived(null, values[i % NODES]);
                }
                notifyCpu = threads.getCurrentThreadCpuTime() - notifyCpu;
                if (round == 1) {
                    assertThat(roundDone.await(60, TimeUnit.SECONDS)).isTrue();
                    wall = System.nanoTime() - wall;
                    long workerUsed = workerCpu.get() - workerStart;
                    System.out.printf(
                            "opcua hand-off: %,d changes in %.2f s (%,.0f changes/s); CPU per change:"
                                    + " notification thread %.2f us, worker (convert + Camel) %.2f us, total %.2f us%n",
                            CHANGES, wall / 1e9, CHANGES / (wall / 1e9), notifyCpu / 1e3 / CHANGES,
                            workerUsed / 1e3 / CHANGES, (notifyCpu + workerUsed) / 1e3 / CHANGES);
                } else {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> delivered.get() >= CHANGES);
                }
            }
            worker.stop(1_000);
        }
    }
}
