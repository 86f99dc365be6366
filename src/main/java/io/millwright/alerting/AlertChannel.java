package io.millwright.alerting;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place raised and cleared alerts go to: a webhook, mail, an Artemis address or a chat room.
 * Counts what it delivered and what it could not, and remembers the last failure for health; a
 * failing channel never stops the others or the alerting route. Log lines and failure texts name
 * the channel and its kind, never its URL, password or token.
 */
abstract class AlertChannel {

    private static final Logger log = LoggerFactory.getLogger(AlertChannel.class);

    private final String name;
    private final String kind;
    private final Set<String> severities;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;

    /**
     * @param name as in the channels file, in logs and health
     * @param kind {@code webhook}, {@code mail}, {@code artemis} or {@code chat}
     * @param severities the severities it takes; empty = all
     */
    AlertChannel(String name, String kind, Set<String> severities) {
        this.name = name;
        this.kind = kind;
        this.severities = Set.copyOf(severities);
    }

    String name() {
        return name;
    }

    String kind() {
        return kind;
    }

    Set<String> severities() {
        return severities;
    }

    /** Whether this channel takes alerts of this severity. */
    boolean takes(String severity) {
        return severities.isEmpty() || severities.contains(severity.toLowerCase(Locale.ROOT));
    }

    /** Delivers one alert; returns whether it was delivered (a failure is counted, logged and kept for health). */
    final boolean deliver(AlertEngine.Alert alert, byte[] cloudEventJson) {
        try {
            send(alert, cloudEventJson);
            sent.incrementAndGet();
            lastFailure = null;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        } catch (Exception e) {
            return failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private boolean failed(String reason) {
        failed.incrementAndGet();
        lastFailure = "channel '" + name + "' (" + kind + ") did not take an alert: " + reason;
        lastFailureAt = Instant.now();
        log.warn("Alert not delivered channel={} kind={} reason={}", name, kind, reason);
        return false;
    }

    /** Sends one alert, or throws why it could not. */
    protected abstract void send(AlertEngine.Alert alert, byte[] cloudEventJson) throws Exception;

    /** One line for people: {@code [CRITICAL] RAISED maintenance-needed: ... (since ...)}. */
    static String text(AlertEngine.Alert alert) {
        return "[" + alert.severity().toUpperCase(Locale.ROOT) + "] " + alert.status() + " " + alert.summary()
                + " (since " + alert.since() + ", alert " + alert.alertId() + ")";
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    Instant lastFailureAt() {
        return lastFailureAt;
    }
}
