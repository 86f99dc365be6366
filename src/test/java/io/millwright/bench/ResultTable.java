package io.millwright.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's results as a Markdown table, with the machine it ran on and the notes. */
final class ResultTable {

    private static final String HEADER =
            "| items | interval | who | offered/s | received/s | lost | dup | CPU-µs/change | RSS MiB (peak) "
                    + "| items created in | ready in | all N on Kafka in | p50 ms | p99 ms |\n"
                    + "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    private ResultTable() {}

    static String machine() {
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc) " + cpuModel() + ", Java "
                + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), "
                + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT));
    }

    static String render(List<RunResult> results) {
        StringBuilder table = new StringBuilder(HEADER);
        List<String> notes = new ArrayList<>();
        for (RunResult r : results) {
            String key = String.format(Locale.ROOT, "%,d @ %s %s", r.items(), HubWorkDir.durationText(r.interval()), r.who());
            if (r.isFailed()) {
                table.append(String.format(Locale.ROOT, "| %,d | %s | %s | failed, see notes |%s%n", r.items(),
                        HubWorkDir.durationText(r.interval()), r.who(), " |".repeat(10)));
                notes.add(key + ": " + String.join("; ", r.notes()));
                continue;
            }
            table.append("| ")
                    .append(String.format(Locale.ROOT, "%,d", r.items()))
                    .append(" | ")
                    .append(HubWorkDir.durationText(r.interval()))
                    .append(" | ")
                    .append(r.who())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", r.offeredPerSecond()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", r.receivedPerSecond()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.lost()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", r.duplicates()))
                    .append(" | ")
                    .append(cpu(r))
                    .append(" | ")
                    .append(rss(r))
                    .append(" | ")
                    .append(seconds(r.itemsCreatedMillis()))
                    .append(" | ")
                    .append(seconds(r.readyMillis()))
                    .append(" | ")
                    .append(seconds(r.allNodesMillis()))
                    .append(" | ")
                    .append(millis(r.p50Millis()))
                    .append(" | ")
                    .append(millis(r.p99Millis()))
                    .append(" |\n");
            notes.add(String.format(Locale.ROOT,
                    "%s: window %.1f s, %,d of %,d changes received, latency max %s ms; benchmark server %.0f %% of a core,"
                            + " meter %.0f %%%s",
                    key, r.windowSeconds(), r.received(), r.expected(), millis(r.maxMillis()), r.serverCpuPercent(),
                    r.meterCpuPercent(), r.notes().isEmpty() ? "" : "; " + String.join("; ", r.notes())));
        }
        StringBuilder out = new StringBuilder(table);
        out.append('\n');
        for (String note : notes) {
            out.append("- ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String cpu(RunResult r) {
        if (r.cpuMicrosPerChange() == null) {
            return "n/a";
        }
        if (r.brokerCpuMicrosPerChange() == null) {
            return String.format(Locale.ROOT, "%.1f", r.cpuMicrosPerChange());
        }
        return String.format(Locale.ROOT, "%.1f + %.1f = %.1f", r.cpuMicrosPerChange(), r.brokerCpuMicrosPerChange(),
                r.cpuMicrosPerChange() + r.brokerCpuMicrosPerChange());
    }

    private static String rss(RunResult r) {
        String own = r.rssMiB() + " (" + r.peakRssMiB() + ")";
        return r.brokerRssMiB() == null ? own : own + " + " + r.brokerRssMiB();
    }

    private static String seconds(Long millis) {
        return millis == null ? "n/a" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String millis(Double millis) {
        return millis == null ? "n/a" : String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> "(" + line.substring(line.indexOf(':') + 1).trim() + ")")
                    .findFirst()
                    .orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
