package io.millwright.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An optional Java Flight Recording of one process during the measure window, started and dumped
 * with {@code jcmd} ({@code settings=profile}: method sampling every 10-20 ms, allocation and lock
 * events). Only with {@code --jfr <dir>}: the recording costs a few percent of CPU, so figures of
 * a profiled run are for finding where the time goes, not for the table.
 */
interface WindowProfiler {

    WindowProfiler NONE = new WindowProfiler() {
        @Override
        public void start() {}

        @Override
        public void stop() {}
    };

    void start() throws Exception;

    void stop() throws Exception;

    static WindowProfiler jfr(long pid, Path file) {
        return new WindowProfiler() {
            @Override
            public void start() throws Exception {
                jcmd(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + file.toAbsolutePath());
            }

            @Override
            public void stop() throws Exception {
                jcmd(pid, "JFR.stop", "name=bench");
            }
        };
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + line + " failed: " + out);
        }
    }
}
