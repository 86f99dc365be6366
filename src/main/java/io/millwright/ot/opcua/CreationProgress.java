package io.millwright.ot.opcua;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts monitored items as the server creates or rejects them, into the connection's status, and
 * logs progress at INFO at most every 2 s or every 10 batches, then one line with the time taken.
 * A rejected item is a WARN line with its node id and status (the first {@value #MAX_WARNINGS},
 * then a summary), never a reason to stop the others.
 */
final class CreationProgress {

    private static final Logger log = LoggerFactory.getLogger(CreationProgress.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int LOG_EVERY_BATCHES = 10;
    static final int MAX_WARNINGS = 50;

    private final String connection;
    private final OpcUaConnectionStatus status;
    private final long start = System.nanoTime();
    private long lastLog = start;
    private int batchesSinceLog;
    private int batches;
    private int done;
    private final int total;

    CreationProgress(String connection, OpcUaConnectionStatus status, int total) {
        this.connection = connection;
        this.status = status;
        this.total = total;
        status.creationStarted(total);
    }

    void created() {
        status.itemCreated();
        done++;
    }

    void failed(String nodeId, String statusName) {
        status.itemFailed(nodeId, statusName);
        done++;
        int failed = status.failed();
        if (failed <= MAX_WARNINGS) {
            log.warn("OPC UA node rejected connection={} node={} status={}", connection, nodeId, statusName);
        } else if (failed == MAX_WARNINGS + 1) {
            log.warn("OPC UA nodes rejected, further rejections counted only (see health 'opcua') connection={}",
                    connection);
        }
    }

    void batchDone() {
        batches++;
        batchesSinceLog++;
        long now = System.nanoTime();
        if (done < total && (batchesSinceLog >= LOG_EVERY_BATCHES || now - lastLog >= LOG_EVERY_NANOS)) {
            log.info("OPC UA monitored items connection={} created={}/{} failed={}",
                    connection, status.created(), total, status.failed());
            lastLog = now;
            batchesSinceLog = 0;
        }
    }

    void finish(int subscriptions, int batchSize) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        status.creationFinished(took);
        log.info("OPC UA subscribed connection={} created={}/{} failed={} subscriptions={} batches={} batchSize={} tookMs={}",
                connection, status.created(), total, status.failed(), subscriptions, batches, batchSize, took.toMillis());
    }
}
