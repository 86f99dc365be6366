package io.millwright.sim.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator as an OPC UA client sees it: a plain Milo 1.0 client on a free loopback port. */
class PlantSimulatorTest {

    private static PlantSimulator simulator;
    private static OpcUaClient client;

    @BeforeAll
    static void startSimulatorAndConnect() throws Exception {
        // a 5 ms tick shows hundreds of ticks, and so state changes, within a second or two
        simulator = new PlantSimulator(new PlantSimulatorProperties(
                true, freePort(), "127.0.0.1", null, 2, 3, "0010", Duration.ofMillis(5), false, 7L, Map.of()));
        simulator.start();
        client = OpcUaClient.create(simulator.endpointUrl());
        client.connect();
    }

    @AfterAll
    static void disconnectAndStop() throws Exception {
        if (client != null) {
            client.disconnect();
        }
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    void ordersAndOperation_readOverOpcUa_whenClientConnects() throws Exception {
        assertThat(simulator.endpointUrl()).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+/millwright");
        assertThat(read("Line1.Machine1.OrderId").value().value()).isEqualTo("1000011");
        assertThat(read("Line2.Machine3.OrderId").value().value()).isEqualTo("1000023");
        assertThat(read("Line1.Machine2.Operation").value().value()).isEqualTo("0010");
        DataValue state = read("Line2.Machine1.State");
        assertThat(state.statusCode().isGood()).isTrue();
        assertThat(state.value().value()).isIn("running", "idle", "down", "setup");
        assertThat(read("Line1.Machine1.GoodCount").value().value()).isInstanceOf(UInteger.class);
        assertThat(read("Line1.Machine1.Temperature").value().value()).isInstanceOf(Double.class);
    }

    // Counters are what the ERP is confirmed from: a machine that is idle, down or in setup
    // must not produce parts. Checked on the values a subscriber receives, by source time.
    @Test
    void goodCountGrows_onlyWhileStateIsRunning() throws Exception {
        var received = new ConcurrentLinkedQueue<Notification>();
        var subscription = new OpcUaSubscription(client, 10.0);
        subscription.create();
        try {
            for (int line = 1; line <= 2; line++) {
                for (int machine = 1; machine <= 3; machine++) {
                    for (String tag : List.of("State", "GoodCount")) {
                        String id = "Line" + line + ".Machine" + machine + "." + tag;
                        var item = OpcUaMonitoredItem.newDataItem(nodeId(id));
                        item.setSamplingInterval(0.0);
                        item.setQueueSize(Unsigned.uint(10_000));
                        item.setDataValueListener((i, value) -> received.add(new Notification(id, value)));
                        subscription.addMonitoredItem(item);
                    }
                }
            }
            subscription.synchronizeMonitoredItems();

            await().atMost(Duration.ofSeconds(20)).until(() -> sawStoppedMachineAndProduction(received));
        } finally {
            subscription.delete();
        }

        int checkedIncrements = 0;
        for (int line = 1; line <= 2; line++) {
            for (int machine = 1; machine <= 3; machine++) {
                checkedIncrements += assertCountsOnlyWhileRunning(received, "Line" + line + ".Machine" + machine);
            }
        }
        System.out.printf("goodCount increments checked=%d notifications=%d%n", checkedIncrements, received.size());
        assertThat(checkedIncrements).isPositive();
    }

    @Test
    void countersFrozen_whenPaused_andGrowAgain_whenResumed() throws Exception {
        simulator.pause();
        try {
            long frozen = totalGoodCountOverOpcUa();
            assertThat(simulator.isPaused()).isTrue();
            // 300 ms are 60 ticks at 5 ms: a running machine would have counted
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> totalGoodCountOverOpcUa() == frozen);
            assertThat(simulator.machines().stream().mapToLong(MachineSnapshot::goodCount).sum())
                    .isEqualTo(frozen);
            simulator.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> totalGoodCountOverOpcUa() > frozen);
        } finally {
            simulator.resume();
        }
    }

    private record Notification(String id, DataValue value) {
        Instant sourceTime() {
            return value.sourceTime().getJavaInstant();
        }

        boolean isState() {
            return id.endsWith(".State");
        }
    }

    private static boolean sawStoppedMachineAndProduction(Iterable<Notification> received) {
        boolean stopped = false;
        int counts = 0;
        for (Notification n : received) {
            if (n.isState() && !"running".equals(n.value().value().value())) {
                stopped = true;
            }
            if (!n.isState()) {
                counts++;
            }
        }
        return stopped && counts > 50;
    }

    /** Replays one machine's notifications in source-time order; returns the increments seen. */
    private static int assertCountsOnlyWhileRunning(Iterable<Notification> received, String machine) {
        List<Notification> timeline = new ArrayList<>();
        received.forEach(n -> {
            if (n.id().startsWith(machine + ".")) {
                timeline.add(n);
            }
        });
        // a state change and the count of the same tick share the source time: state first
        timeline.sort(Comparator.comparing(Notification::sourceTime).thenComparing(n -> n.isState() ? 0 : 1));
        String state = null;
        Long lastCount = null;
        int increments = 0;
        for (Notification n : timeline) {
            Object value = n.value().value().value();
            if (n.isState()) {
                state = (String) value;
                continue;
            }
            long count = ((UInteger) value).longValue();
            if (lastCount != null && state != null) {
                assertThat(count)
                        .as("%s GoodCount never decreases", machine)
                        .isGreaterThanOrEqualTo(lastCount);
                if (count > lastCount) {
                    assertThat(state)
                            .as("%s state when GoodCount went %d -> %d at %s", machine, lastCount, count, n.sourceTime())
                            .isEqualTo("running");
                    increments++;
                }
            }
            lastCount = count;
        }
        return increments;
    }

    private static long totalGoodCountOverOpcUa() throws Exception {
        List<NodeId> ids = new ArrayList<>();
        for (int line = 1; line <= 2; line++) {
            for (int machine = 1; machine <= 3; machine++) {
                ids.add(nodeId("Line" + line + ".Machine" + machine + ".GoodCount"));
            }
        }
        return client.readValues(0.0, TimestampsToReturn.Both, ids).stream()
                .mapToLong(v -> ((UInteger) v.value().value()).longValue())
                .sum();
    }

    private static DataValue read(String id) throws Exception {
        return client.readValue(0.0, TimestampsToReturn.Both, nodeId(id));
    }

    private static NodeId nodeId(String id) throws Exception {
        return ExpandedNodeId.parse("nsu=" + simulator.namespaceUri() + ";s=" + id)
                .toNodeIdOrThrow(client.getNamespaceTable());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
