package io.millwright.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings shared by every run of one benchmark invocation.
 *
 * @param classpath the test classpath, for the server, bare client and bare broker JVMs
 * @param runDir temporary directory of this invocation: logs of every process, the hub's work dirs
 * @param repository the checkout whose config/ and mappings/ the hub's work dir copies
 * @param hubJar the packaged hub
 * @param warmup running time before the measure window
 * @param window length of the measure window
 * @param grace how long after the window its last changes may still arrive
 * @param startTimeout most time for a client or hub to be ready and create its items
 * @param maxItemsPerCall the server's MaxMonitoredItemsPerCall
 * @param legacyHubConnectionFile leave sampling-interval, publishing-interval and queue-size out
 * @param hubHeap the hub's -Xmx, or null for the default by size (512m up to 10,000 items, else 1g)
 * @param jfrDir where to write flight recordings of the measure windows, or null for none
 * @param hubArgs more command-line settings for the hub ({@code --hub-args})
 * @param cds start the hub from its class data sharing archive, prepared untimed before (the default, as the launcher
 *     runs a start after the first of a new jar), or without one ({@code --no-cds}: {@code MILLWRIGHT_CDS=off})
 * @param hubWorkers the connection file's {@code hand-off.workers}, or 0 for the hub's default ({@code --hub-workers})
 */
record BenchSettings(
        String classpath,
        Path runDir,
        Path repository,
        Path hubJar,
        Duration warmup,
        Duration window,
        Duration grace,
        Duration startTimeout,
        int maxItemsPerCall,
        boolean legacyHubConnectionFile,
        String hubHeap,
        Path jfrDir,
        Progress progress,
        java.util.List<String> hubArgs,
        boolean cds,
        int hubWorkers) {

    WindowProfiler profiler(ChildProcess process, String label) {
        return jfrDir == null ? WindowProfiler.NONE : WindowProfiler.jfr(process.pid(), jfrDir.resolve(label + ".jfr"));
    }
}
