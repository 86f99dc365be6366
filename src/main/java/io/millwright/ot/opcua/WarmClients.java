package io.millwright.ot.opcua;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm standby of the run-once OPC UA routes: on a hub that does not lead a connection, its Milo client
 * is made and connected in advance (endpoints discovered, secure channel and session open, Milo's and
 * Netty's classes loaded), but it creates no subscription. When the hub becomes the leader, the route's
 * consumer takes the open client and only subscribes; the server sees one subscription throughout and one
 * more (idle) session per standby. A warm client that failed or belongs to an older version of the
 * connection file is closed and the consumer connects as it would without one.
 */
final class WarmClients {

    private static final Logger log = LoggerFactory.getLogger(WarmClients.class);

    /** One connection's client being opened or open; {@code endpoint} is the one Milo selected. */
    record Warm(OpcUaConnection connection, CompletableFuture<OpcUaClient> client,
            AtomicReference<EndpointDescription> endpoint) {

        /** The connected client, waiting at most {@code millis} for the connect under way; null when it failed. */
        OpcUaClient await(long millis) {
            try {
                return client.get(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.info("OPC UA warm standby client unusable, connecting anew connection={} reason={}",
                        connection.id(), e.toString());
            }
            close();
            return null;
        }

        /** Disconnects the client now or as soon as its connect ends. */
        void close() {
            client.whenComplete((c, e) -> {
                if (c != null) {
                    c.disconnectAsync();
                }
            });
        }
    }

    private final Map<String, Warm> warm = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "opcua-warm-standby");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens a client for {@code connection} in the background, unless one is open or opening. */
    void open(OpcUaConnection connection, String password, ClientPki pki) {
        warm.computeIfAbsent(connection.id(), id -> {
            AtomicReference<EndpointDescription> endpoint = new AtomicReference<>();
            CompletableFuture<OpcUaClient> client = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    OpcUaClient created = MiloClients.create(connection, password, pki,
                            pki == null ? null : new RejectedCertificates(pki), endpoint::set);
                    created.connect();
                    log.info("OPC UA warm standby session open, no subscription until this hub leads connection={}"
                            + " endpoint={} ms={}", id, connection.endpoint(), (System.nanoTime() - start) / 1_000_000);
                    return created;
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, executor);
            return new Warm(connection, client, endpoint);
        });
    }

    /**
     * The warm client of {@code connection} for its consumer, or null: none was opened, or it was opened
     * for an older version of the connection file (then it is closed).
     */
    Warm take(OpcUaConnection connection) {
        Warm taken = warm.remove(connection.id());
        if (taken != null && taken.connection() != connection) {
            taken.close();
            return null;
        }
        return taken;
    }

    /** Whether a client is open or opening for the connection (for tests and health). */
    boolean has(String connectionId) {
        return warm.containsKey(connectionId);
    }

    /** Closes every warm client (the hub stops). */
    void close() {
        warm.values().forEach(Warm::close);
        warm.clear();
        executor.shutdownNow();
    }
}
