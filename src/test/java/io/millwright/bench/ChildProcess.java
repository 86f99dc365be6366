package io.millwright.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark started: a server, client or broker JVM of its own, or the hub.
 *
 * <p>Every child is stopped when the benchmark ends, however it ends ({@link #stopAll()} from the
 * benchmark's shutdown hook): SIGTERM first, so the JVM runs its own shutdown hooks (the hub stops its
 * brokers, the broker removes its temporary directory), then SIGKILL after 20 s.
 *
 * <p>For the benchmark's own mains, stdout lines {@code BENCH key=value key=value} are also kept
 * as maps for {@link #awaitLine}; stdout goes to {@code <name>.out.log} and stderr to
 * {@code <name>.err.log} in the run's directory.
 */
final class ChildProcess implements AutoCloseable {

    private static final List<ChildProcess> RUNNING = new CopyOnWriteArrayList<>();

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final Path stdoutLog;
    private final Path stderrLog;
    private final List<Map<String, String>> benchLines = new ArrayList<>();

    private ChildProcess(String name, Process process, long startedNanos, Path stdoutLog, Path stderrLog) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.stdoutLog = stdoutLog;
        this.stderrLog = stderrLog;
    }

    /** Starts {@code java <jvmArgs> -cp <classpath> <main> <args>} and reads its BENCH lines. */
    static ChildProcess javaMain(
            String name, List<String> jvmArgs, String classpath, Class<?> main, List<String> args, Path runDir) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.add("-Dlogback.configurationFile=bench/logback-bench.xml");
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(args);
        ChildProcess child = start(name, command, runDir, Map.of(), runDir, false);
        Thread reader = new Thread(child::readStdout, "bench-read-" + name);
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    /** Starts {@code command} in {@code workDir}, its stdout and stderr into files in {@code runDir}. */
    static ChildProcess start(
            String name, List<String> command, Path workDir, Map<String, String> environment, Path runDir, boolean stdoutToFile) {
        Path out = runDir.resolve(name + ".out.log");
        Path err = runDir.resolve(name + ".err.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(environment);
        builder.redirectError(err.toFile());
        if (stdoutToFile) {
            builder.redirectOutput(out.toFile());
        }
        long started = System.nanoTime();
        try {
            ChildProcess child = new ChildProcess(name, builder.start(), started, out, err);
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** Stops every child still running, the last started first. */
    static void stopAll() {
        List<ChildProcess> running = new ArrayList<>(RUNNING);
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Nanos ({@link System#nanoTime()}) when the process was launched. */
    long startedNanos() {
        return startedNanos;
    }

    ProcessStats stats() {
        return ProcessStats.of(process.pid());
    }

    /**
     * The first BENCH line (seen so far or still to come) that matches, as key/value pairs. Fails
     * if the process ends or {@code timeout} passes first.
     */
    Map<String, String> awaitLine(Predicate<Map<String, String>> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        synchronized (benchLines) {
            while (true) {
                for (; checked < benchLines.size(); checked++) {
                    if (match.test(benchLines.get(checked))) {
                        return benchLines.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(name + ": no " + what + " within " + timeout + "; " + tail());
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " ended (exit " + process.exitValue() + ") before " + what
                            + "; " + tail());
                }
                benchLines.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 500));
            }
        }
    }

    /** The last BENCH line with {@code key}, or null. */
    Map<String, String> lastLineWith(String key) {
        synchronized (benchLines) {
            for (int i = benchLines.size() - 1; i >= 0; i--) {
                if (benchLines.get(i).containsKey(key)) {
                    return benchLines.get(i);
                }
            }
            return null;
        }
    }

    /** Why it failed: the last root cause in its stdout log, then the last lines of both logs. */
    String tail() {
        return lastCause() + "; last lines of " + stderrLog + ":\n" + lastLines(stderrLog, 15) + "\nlast lines of "
                + stdoutLog + ":\n" + lastLines(stdoutLog, 15);
    }

    private String lastCause() {
        try {
            if (!Files.exists(stdoutLog)) {
                return "no output";
            }
            List<String> causes = Files.readAllLines(stdoutLog, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("Caused by: "))
                    .toList();
            return causes.isEmpty() ? "no 'Caused by' in its output" : causes.get(causes.size() - 1);
        } catch (IOException | UncheckedIOException e) {
            return "output unreadable: " + e.getMessage();
        }
    }

    Path stdoutLog() {
        return stdoutLog;
    }

    /** SIGTERM, then SIGKILL after 20 s; idempotent. */
    @Override
    public void close() {
        RUNNING.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.err.println(name + " did not stop within 20 s of SIGTERM; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void readStdout() {
        try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(stdoutLog)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("BENCH ")) {
                    Map<String, String> values = parse(line.substring(6));
                    synchronized (benchLines) {
                        benchLines.add(values);
                        benchLines.notifyAll();
                    }
                }
                log.write(line);
                log.write('\n');
                log.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.trim().split(" +")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }

    private static String lastLines(Path file, int count) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
