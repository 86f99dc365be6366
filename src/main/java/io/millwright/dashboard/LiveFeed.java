package io.millwright.dashboard;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The live clients (dashboards, asset-feed clients) and what each is sent. {@link #broadcast} only
 * offers each client's update to that client's bounded buffer and returns: writing to the network
 * happens on the feed's own threads, one drain at a time per client. A client whose buffer is full
 * (it reads slower than the plant changes) loses its queued updates and gets one {@code resync}
 * event instead, on which it reloads its snapshot; the plant and the other clients are not slowed.
 *
 * <p>When the hub stops, the clients' streams are ended first, as the context closes: an open stream
 * is a request in progress, which the web server's graceful shutdown would otherwise wait for up to
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (a stream lasts {@code stream-timeout}, 30 min).
 * Browsers reconnect by themselves to the next hub.
 */
class LiveFeed implements DisposableBean, ApplicationListener<ContextClosedEvent> {

    /** Which stream a client follows. */
    enum Stream {
        /** Every live canonical event, named by its type ({@code machine-state}, {@code alert}, ...). */
        DASHBOARD,
        /** One {@code asset-state} event per machine change, with position. */
        ASSETS
    }

    /** One event on the wire: SSE event name, id (may be null) and JSON data; a null name is a comment. */
    record Outgoing(String name, String id, Object data) {
        static final Outgoing RESYNC = new Outgoing("resync", null, Map.of("reason", "client buffer full; reload the snapshot"));
        static final Outgoing HEARTBEAT = new Outgoing(null, null, "heartbeat");
    }

    /** Where a client's events are written (an {@code SseEmitter} in the hub); may block on a slow network. */
    interface Sink {
        void send(Outgoing event) throws IOException;

        void close();
    }

    /** Thrown when {@link DashboardProperties#maxClients()} clients are connected already. */
    static final class TooManyClientsException extends RuntimeException {
        TooManyClientsException(int max) {
            super("the hub serves at most " + max + " live clients at once (millwright.dashboard.max-clients); try again later");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    private final int bufferSize;
    private final int maxClients;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor writers;
    private final ScheduledExecutorService heartbeats;
    private final AtomicLong connectionsSinceStart = new AtomicLong();
    private final AtomicLong droppedSinceStart = new AtomicLong();

    LiveFeed(DashboardProperties properties) {
        this.bufferSize = properties.clientBuffer();
        this.maxClients = properties.maxClients();
        // at most one drain per client runs at a time, so maxClients threads never reject a drain
        this.writers = new ThreadPoolExecutor(0, maxClients, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("dashboard-live-writer"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemonThreads("dashboard-live-heartbeat"));
        long every = properties.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> clients.forEach(client -> client.offer(Outgoing.HEARTBEAT)), every, every,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a client; its sink gets {@code first} (its snapshot), then every update of its stream
     * from now on. Call it under the same lock as {@link #broadcast} so no update falls in between.
     */
    Client connect(Stream stream, Sink sink, Outgoing first) {
        synchronized (clients) {
            if (clients.size() >= maxClients) {
                throw new TooManyClientsException(maxClients);
            }
            Client client = new Client(stream, sink);
            // registered before its first offer: a sink that fails at once is then really removed
            clients.add(client);
            client.offer(first);
            connectionsSinceStart.incrementAndGet();
            log.debug("Live client connected stream={} clients={}", stream, clients.size());
            return client;
        }
    }

    /** Offers each update to every client of its stream; never blocks on a client. */
    void broadcast(List<LiveUpdate> updates) {
        if (clients.isEmpty()) {
            return;
        }
        for (LiveUpdate update : updates) {
            Outgoing dashboardEvent = null;
            Outgoing assetEvent = null;
            for (Client client : clients) {
                if (client.stream == Stream.DASHBOARD) {
                    if (dashboardEvent == null) {
                        String type = update.event().type();
                        dashboardEvent = new Outgoing(type.substring("io.millwright.".length(), type.lastIndexOf(".v")),
                                update.event().id(), update.event());
                    }
                    client.offer(dashboardEvent);
                } else if (update.asset() != null) {
                    if (assetEvent == null) {
                        assetEvent = new Outgoing("asset-state", update.event().id(), update.asset());
                    }
                    client.offer(assetEvent);
                }
            }
        }
    }

    int connectedClients() {
        return clients.size();
    }

    long connectionsSinceStart() {
        return connectionsSinceStart.get();
    }

    long droppedSinceStart() {
        return droppedSinceStart.get();
    }

    /** Ends every client's stream before the web server's graceful shutdown waits for open requests. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (!clients.isEmpty()) {
            log.info("Live clients disconnected, the hub is stopping clients={}", clients.size());
            clients.forEach(Client::disconnect);
        }
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
        clients.forEach(Client::disconnect);
        writers.shutdownNow();
    }

    /** One connected client: its bounded buffer and whether a drain is running for it. */
    final class Client {
        private final Stream stream;
        private final Sink sink;
        private final Queue<Outgoing> buffer = new ArrayBlockingQueue<>(bufferSize);
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Client(Stream stream, Sink sink) {
            this.stream = stream;
            this.sink = sink;
        }

        void offer(Outgoing event) {
            if (!open.get()) {
                return;
            }
            if (!buffer.offer(event)) {
                synchronized (buffer) {
                    int lost = buffer.size();
                    buffer.clear();
                    buffer.offer(Outgoing.RESYNC);
                    dropped.addAndGet(lost + 1L);
                    droppedSinceStart.addAndGet(lost + 1L);
                }
            }
            if (draining.compareAndSet(false, true)) {
                writers.execute(this::drain);
            }
        }

        private void drain() {
            try {
                Outgoing next;
                while (open.get() && (next = buffer.poll()) != null) {
                    sink.send(next);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Live client gone stream={} reason={}", stream, e.toString());
                disconnect();
            } finally {
                draining.set(false);
            }
            // an offer between the last poll and the flag reset must not wait for the next event
            if (open.get() && !buffer.isEmpty() && draining.compareAndSet(false, true)) {
                writers.execute(this::drain);
            }
        }

        /** Updates this client lost because its buffer was full. */
        long dropped() {
            return dropped.get();
        }

        void disconnect() {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            clients.remove(this);
            buffer.clear();
            sink.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicLong count = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
