package io.millwright.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU use, from the first line of Linux's {@code /proc/stat} (clock ticks
 * busy and idle summed over all cores). The benchmark shares its cores with whatever else runs;
 * comparing the machine's busy time with the measured processes' own tells how much of the
 * window other processes took.
 */
record MachineLoad(long busyTicks, long totalTicks) {

    static MachineLoad now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new MachineLoad(total - idle, total);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/stat", e);
        }
    }

    /** Cores busy on average between {@code earlier} and this sample. */
    double busyCoresSince(MachineLoad earlier) {
        long total = totalTicks - earlier.totalTicks;
        return total == 0 ? 0 : (double) (busyTicks - earlier.busyTicks) / total * Runtime.getRuntime().availableProcessors();
    }
}
