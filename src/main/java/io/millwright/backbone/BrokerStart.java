package io.millwright.backbone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of one embedded broker, running on a thread of its own from the moment this object is
 * made ({@link #begin}); {@link #await()} waits for it and rethrows its failure. {@link
 * BackboneConfiguration} makes one per broker as soon as the bean factory makes beans ({@link
 * EarlyBrokerStart}), so the broker starts beside the whole context instead of when Spring's
 * pre-instantiation reaches its bean, and a background bean awaits it before Camel's routes start.
 */
public final class BrokerStart implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerStart.class);

    /** How long closing waits for a start still running, so the broker's own stop finds it started. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    /** A start that ran to its end: the broker and how long it took from {@link #begin}. */
    public record Started(String broker, Duration took) {}

    /** Every broker start of the context, ended. */
    public record AllStarted(List<Started> brokers) {}

    /** Waits for each start in turn; rethrows the first failure. */
    static AllStarted awaitAll(List<BrokerStart> starts) throws Exception {
        List<Started> started = new ArrayList<>();
        for (BrokerStart start : starts) {
            started.add(start.await());
        }
        return new AllStarted(List.copyOf(started));
    }

    /** What a broker does to start; returns once it serves clients. */
    @FunctionalInterface
    public interface Start {
        void run() throws Exception;
    }

    private final String broker;
    private final long begunNanos = System.nanoTime();
    private final CompletableFuture<Started> started = new CompletableFuture<>();

    private BrokerStart(String broker) {
        this.broker = broker;
    }

    /** Starts {@code start} now on a daemon thread named {@code <broker>-start}. */
    public static BrokerStart begin(String broker, Start start) {
        BrokerStart handle = new BrokerStart(broker);
        Thread thread = new Thread(handle.run(start), broker + "-start");
        thread.setDaemon(true);
        thread.start();
        log.debug("Broker start begun broker={}", broker);
        return handle;
    }

    private Runnable run(Start start) {
        return () -> {
            try {
                start.run();
                started.complete(new Started(broker, Duration.ofNanos(System.nanoTime() - begunNanos)));
            } catch (Exception | Error e) {
                started.completeExceptionally(e);
            }
        };
    }

    /** Waits until the broker serves clients; rethrows what made its start fail. */
    public Started await() throws Exception {
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Whether the start has ended, started or failed. */
    public boolean isDone() {
        return started.isDone();
    }

    /**
     * Waits (at most {@link #CLOSE_WAIT}) for a start still running: a broker closed while it starts
     * would otherwise finish its start after its stop and keep running.
     */
    @Override
    public void close() {
        try {
            started.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // reported by await(); nothing was started that needs a stop
        } catch (TimeoutException e) {
            log.warn("Broker still starting when the hub stopped broker={} waitedSeconds={}", broker, CLOSE_WAIT.toSeconds());
        }
    }
}
