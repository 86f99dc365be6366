package io.millwright.sim.plant;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The simulated plant behind a real OPC UA server (Eclipse Milo 1.0, in-process).
 *
 * <p>The server listens on {@code opc.tcp://<bind-address>:<port>/millwright} with a single
 * endpoint: SecurityPolicy None, MessageSecurityMode None, anonymous identity. That is a
 * simulator's choice: no certificate, no PKI directory, nothing to trust; a real plant server
 * should offer a signed and encrypted policy. The endpoint descriptions advertise
 * {@code advertised-host} (default: the bind address), so a client's {@code overrideHost} can be
 * tested against a name it cannot resolve.
 *
 * <p>Machine M of line L runs order {@code 10000LM}, operation {@code 0010}; its variables are
 * {@code nsu=urn:millwright:sim:plant;s=LineL.MachineM.<Tag>} with the tags State (String:
 * running, idle, down, setup), GoodCount and ScrapCount (UInt32, cumulative since start),
 * Temperature (Double, °C), Vibration (Double, mm/s), OrderId and Operation (String). A tick
 * thread advances every machine and pushes each changed value, with the tick's time as source
 * and server timestamp, to the monitored items.
 *
 * <p>Started when the bean is initialised, i.e. before the Camel context starts its routes;
 * stopped when the bean is destroyed, after the Camel context has stopped. The hub creates it in
 * the background ({@link PlantSimulatorConfiguration}).
 */
public class PlantSimulator implements InitializingBean, DisposableBean {

    /** Path of the endpoint URL; Milo accepts a client only if the path matches exactly. */
    public static final String PATH = "/millwright";

    private static final Logger log = LoggerFactory.getLogger(PlantSimulator.class);

    private final PlantSimulatorProperties properties;
    private final List<SimulatedMachine> machines = new ArrayList<>();
    private final long seed;
    private final Object lock = new Object();

    private volatile boolean paused;
    private OpcUaServer server;
    private PlantNamespace namespace;
    private ScheduledExecutorService ticker;
    private ScheduledFuture<?> ticks;

    public PlantSimulator(PlantSimulatorProperties properties) {
        this.properties = properties;
        this.seed = properties.seed() != null ? properties.seed() : System.nanoTime();
        this.paused = properties.startPaused();
        for (int line = 1; line <= properties.lines(); line++) {
            for (int machine = 1; machine <= properties.machinesPerLine(); machine++) {
                machines.add(new SimulatedMachine(
                        line,
                        machine,
                        properties.orderFor(line, machine),
                        properties.operation(),
                        machineSeed(seed, line, machine)));
            }
        }
    }

    /** The seed of machine M of line L in a plant started with {@code seed}: a plant seed replays every machine. */
    static long machineSeed(long seed, int line, int machine) {
        return seed * 31 + line * 10L + machine;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        start();
    }

    @Override
    public void destroy() {
        stop();
    }

    /** Binds the OPC UA server and starts the tick thread. */
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        OpcUaServer newServer = new OpcUaServer(serverConfig(), profile -> {
            if (profile != TransportProfile.TCP_UASC_UABINARY) {
                return null;
            }
            return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build());
        });
        PlantNamespace newNamespace = new PlantNamespace(newServer, machines());
        newNamespace.startup();
        try {
            newServer.startup().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            newNamespace.shutdown();
            newServer.shutdown();
            throw new IllegalStateException(
                    "Plant simulator could not listen on " + properties.bindAddress() + ":" + properties.port()
                            + " (millwright.sim.opcua.port / bind-address); is the port in use?",
                    e.getCause() != null ? e.getCause() : e);
        }
        server = newServer;
        namespace = newNamespace;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "plant-sim-tick");
            thread.setDaemon(true);
            return thread;
        });
        long tickNanos = properties.tick().toNanos();
        ticks = ticker.scheduleAtFixedRate(this::tickSafely, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        log.info(
                "Plant simulator listening endpoint={} advertisedHost={} lines={} machinesPerLine={} tick={} seed={}",
                endpointUrl(),
                properties.advertisedHost(),
                properties.lines(),
                properties.machinesPerLine(),
                properties.tick(),
                seed);
    }

    /** Stops the tick thread and unbinds the server. Idempotent. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        ticks.cancel(false);
        ticker.shutdownNow();
        namespace.shutdown();
        server.shutdown();
        server = null;
        log.info("Plant simulator stopped endpoint={}", endpointUrl());
    }

    private OpcUaServerConfig serverConfig() {
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(properties.bindAddress())
                .setBindPort(properties.port())
                .setHostname(properties.advertisedHost())
                .setPath(PATH)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        return OpcUaServerConfig.builder()
                .setApplicationUri("urn:millwright:sim:plant-server")
                .setApplicationName(LocalizedText.english("Millwright simulated plant"))
                .setProductUri("urn:millwright:sim")
                .setBuildInfo(new BuildInfo(
                        "urn:millwright:sim", "Millwright", "Millwright simulated plant", "1", "", DateTime.now()))
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // a failed tick must not end the schedule (scheduleAtFixedRate stops on an exception)
            log.warn("Plant simulator tick failed, next tick continues", e);
        }
    }

    private void tick() {
        DateTime now = DateTime.now();
        // under the lock, so that once pause() returns no further value reaches a client
        synchronized (lock) {
            if (paused) {
                return;
            }
            PlantNamespace current = namespace;
            for (SimulatedMachine machine : machines) {
                machine.advance();
                if (current != null) {
                    current.publish(machine.snapshot(), now);
                }
            }
        }
    }

    /** Freezes every machine: counters, states and analogue values stop changing. */
    public void pause() {
        synchronized (lock) {
            paused = true;
        }
        log.info("Plant simulator paused");
    }

    /** Lets the machines advance again after {@link #pause()}. */
    public void resume() {
        synchronized (lock) {
            paused = false;
        }
        log.info("Plant simulator resumed");
    }

    public boolean isPaused() {
        return paused;
    }

    /** The current values of every machine, line by line. */
    public List<MachineSnapshot> machines() {
        synchronized (lock) {
            return machines.stream().map(SimulatedMachine::snapshot).toList();
        }
    }

    /**
     * The URL a client connects to: {@code opc.tcp://<bind-address>:<port>/millwright}, or the
     * advertised host when the server binds to all interfaces.
     */
    public String endpointUrl() {
        String host = properties.bindAddress();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = properties.advertisedHost();
        }
        return "opc.tcp://" + host + ":" + properties.port() + PATH;
    }

    /**
     * The OPC UA sessions the server holds now (0 when stopped): one per connected client, so a
     * test can see that only one hub instance subscribes (README "Scale out"). A client killed
     * without closing its session stays counted until the session times out.
     */
    public synchronized int sessionCount() {
        return server == null ? 0 : server.getSessionManager().getCurrentSessionCount().intValue();
    }

    /**
     * The OPC UA subscriptions the server holds now (0 when stopped), over all sessions: with several
     * hub instances exactly one subscribes, however many hold a (warm standby) session.
     */
    public synchronized int subscriptionCount() {
        return server == null ? 0 : server.getSubscriptions().size();
    }

    public String namespaceUri() {
        return PlantNamespace.URI;
    }
}
