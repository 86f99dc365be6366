package io.millwright.bench;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.millwright.testsupport.FreePorts;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * The OPC UA server the telemetry benchmark reads, in its own JVM: Eclipse Milo 1.0.8 on a free
 * loopback port, endpoint {@code opc.tcp://127.0.0.1:<port>/bench}, security None, anonymous.
 * It holds N Int64 variables {@code nsu=urn:millwright:bench;s=Bench.V000000} ... and advances
 * every one of them once per interval.
 *
 * <p>Each value is the variable's tick number (1, 2, 3 ...), so a consumer that sees the values
 * of one node can count the gaps, i.e. the changes lost on the way; the source and server
 * timestamps are the wall time the value was set. The variables are advanced in {@code slices}
 * groups spread evenly over the interval (slice s at {@code s * interval / slices}) rather than
 * all at once: a plant's values don't change in one instant, and a subscription's publishing
 * timer then meets changes of every age from 0 to one interval, so the latency percentiles
 * don't depend on the phase between the server's tick and the client's publishing timer.
 *
 * <p>"Offered" counts variable changes made (N per tick), whether or not a client monitors them.
 * Output on stdout, one line each, for {@link TelemetryBenchmark} (logging goes to stderr):
 * <pre>
 * BENCH endpoint=opc.tcp://127.0.0.1:40123/bench items=10000 intervalMillis=200 maxMonitoredItemsPerCall=1000
 * BENCH tick=57 offered=570000 epochMillis=1764500000123 monitoredItems=10000
 * </pre>
 * a tick line when all slices of that tick are done.
 *
 * <p>Operation limits: MaxMonitoredItemsPerCall is {@code --max-items-per-call} (default 1000,
 * a value PLC-embedded servers commonly publish; Milo's own default is 10,000), so clients must
 * create large item sets in batches, as they must against real servers. Other limits are Milo's
 * defaults (no cap on monitored items per session or server).
 *
 * <pre>
 * java -Xmx2g -cp ... io.millwright.bench.BenchOpcUaServer --items 100000 --interval 1s
 * </pre>
 */
public final class BenchOpcUaServer {

    static final String NAMESPACE_URI = "urn:millwright:bench";
    static final String PATH = "/bench";
    private static final String IDENTIFIER_PREFIX = "Bench.V";

    private BenchOpcUaServer() {}

    /** The string identifier of variable {@code index}: {@code Bench.V000042}. */
    static String identifier(int index) {
        return IDENTIFIER_PREFIX + String.format("%06d", index);
    }

    /** The node id of variable {@code index} as a client writes it: {@code nsu=urn:millwright:bench;s=Bench.V000042}. */
    static String nodeId(int index) {
        return "nsu=" + NAMESPACE_URI + ";s=" + identifier(index);
    }

    /** The index of a {@code Bench.V000042} identifier, or -1. */
    static int indexOf(String identifier) {
        if (!identifier.startsWith(IDENTIFIER_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(identifier.substring(IDENTIFIER_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parse(
                "BenchOpcUaServer", args, Set.of(), Set.of("items", "interval", "max-items-per-call", "slices", "port"));
        int items = options.integer("items", 10_000);
        long intervalNanos = options.duration("interval", java.time.Duration.ofMillis(200)).toNanos();
        int maxItemsPerCall = options.integer("max-items-per-call", 1000);
        int slices = Math.max(1, Math.min(options.integer("slices", 20), items));
        int port = options.has("port") ? options.integer("port", 0) : FreePorts.next();

        OpcUaServer server = new OpcUaServer(config(port, maxItemsPerCall), profile -> profile
                        == TransportProfile.TCP_UASC_UABINARY
                ? new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build())
                : null);
        BenchNamespace namespace = new BenchNamespace(server, items);
        namespace.startup();
        server.startup().get(60, TimeUnit.SECONDS);

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-server-tick");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ticker.shutdownNow();
            namespace.shutdown();
            server.shutdown();
            stopped.countDown();
        }, "bench-server-stop"));

        System.out.printf("BENCH endpoint=opc.tcp://127.0.0.1:%d%s items=%d intervalMillis=%d maxMonitoredItemsPerCall=%d%n",
                port, PATH, items, TimeUnit.NANOSECONDS.toMillis(intervalNanos), maxItemsPerCall);
        Ticker tick = new Ticker(namespace, items, slices);
        ticker.scheduleAtFixedRate(tick::step, intervalNanos / slices, intervalNanos / slices, TimeUnit.NANOSECONDS);
        stopped.await();
    }

    private static OpcUaServerConfig config(int port, int maxItemsPerCall) {
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath(PATH)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        OpcUaServerConfigLimits limits = new OpcUaServerConfigLimits() {
            @Override
            public UInteger getMaxMonitoredItemsPerCall() {
                return uint(maxItemsPerCall);
            }
        };
        return OpcUaServerConfig.builder()
                .setApplicationUri("urn:millwright:bench:server")
                .setApplicationName(LocalizedText.english("Millwright telemetry benchmark server"))
                .setProductUri("urn:millwright:bench")
                .setBuildInfo(new BuildInfo(
                        "urn:millwright:bench", "Millwright", "Millwright benchmark server", "1", "", DateTime.now()))
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .setLimits(limits)
                .build();
    }

    /** One step = one slice of one tick; runs on the single tick thread. */
    private static final class Ticker {

        private final BenchNamespace namespace;
        private final int items;
        private final int slices;
        private long step;
        private long offered;

        Ticker(BenchNamespace namespace, int items, int slices) {
            this.namespace = namespace;
            this.items = items;
            this.slices = slices;
        }

        void step() {
            try {
                long current = step++;
                int slice = (int) (current % slices);
                long tick = current / slices + 1;
                DateTime now = DateTime.now();
                int from = (int) ((long) items * slice / slices);
                int to = (int) ((long) items * (slice + 1) / slices);
                namespace.advance(from, to, new DataValue(new Variant(tick), StatusCode.GOOD, now, now));
                offered += to - from;
                if (slice == slices - 1) {
                    System.out.printf("BENCH tick=%d offered=%d epochMillis=%d monitoredItems=%d%n",
                            tick, offered, System.currentTimeMillis(), namespace.monitoredItems());
                }
            } catch (RuntimeException e) {
                // scheduleAtFixedRate ends the schedule on an exception: report, and the next step runs
                e.printStackTrace();
            }
        }
    }
}
