package io.millwright.bench;

import java.time.Duration;
import java.util.List;

/**
 * The figures of one measured run (the bare client or the hub, at one row of items x interval).
 * Times in milliseconds; null where a figure could not be measured.
 *
 * @param who "bare" or "hub"
 * @param offeredPerSecond changes the server made in the window ÷ the window's length
 * @param receivedPerSecond distinct changes of the window found on Kafka ÷ the window's length
 * @param lost changes of the window not on Kafka by the end of the grace period after it
 * @param duplicates changes of the window found more than once
 * @param cpuMicrosPerChange process CPU time (user + system) in the window ÷ changes received
 * @param brokerCpuMicrosPerChange the bare baseline's separate Kafka broker, same measure
 * @param rssMiB resident memory at the end of the window; {@code peakRssMiB} its high-water mark
 * @param itemsCreatedMillis time to create all monitored items (bare: its CreateMonitoredItems
 *     calls; hub: launch until its health reports all created)
 * @param readyMillis launch until ready (bare: items created; hub: readiness UP)
 * @param allNodesMillis launch until the first value of every node was on Kafka
 * @param notes anything that qualifies the figures
 */
record RunResult(
        String who,
        int items,
        Duration interval,
        double windowSeconds,
        double offeredPerSecond,
        double receivedPerSecond,
        long expected,
        long received,
        long lost,
        long duplicates,
        Double cpuMicrosPerChange,
        Double brokerCpuMicrosPerChange,
        long rssMiB,
        long peakRssMiB,
        Long brokerRssMiB,
        Long itemsCreatedMillis,
        Long readyMillis,
        Long allNodesMillis,
        Double p50Millis,
        Double p99Millis,
        Double maxMillis,
        double serverCpuPercent,
        double meterCpuPercent,
        List<String> notes) {

    /** A run that failed: no figures, the reason in the notes. */
    static RunResult failed(String who, int items, Duration interval, String reason) {
        return new RunResult(who, items, interval, 0, 0, 0, 0, 0, 0, 0, null, null, -1, -1, null, null, null, null, null,
                null, null, 0, 0, List.of("FAILED: " + reason));
    }

    boolean isFailed() {
        return rssMiB < 0;
    }
}
