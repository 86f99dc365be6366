package io.millwright.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The tests' npm tools (the OpenID provider, the S3-compatible server, the AsyncAPI parser): installed with
 * {@code npm install} into a folder under {@code target/} on first use, then run by {@code node} as a child
 * process. Without npm, node or the npm registry the test fails saying which and what the tool was for.
 *
 * <pre>{@code
 * NpmTool.install(dir, "s3rver@3.7.1", "the S3-compatible test server");
 * NpmTool.Started server = NpmTool.start("s3rver", new ProcessBuilder(...), log, Duration.ofSeconds(30), port::accepts);
 * server.close();
 * }</pre>
 */
public final class NpmTool {

    /** npm's own timeout is longer; a first install over a slow registry on a loaded machine takes minutes. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(540);

    private NpmTool() {}

    /**
     * Installs npm package {@code spec} ({@code name@version}) into {@code dir} unless {@code dir/node_modules}
     * holds it already; {@code purpose} says in a failure what the package is for.
     */
    public static void install(Path dir, String spec, String purpose) throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("node_modules").resolve(packageName(spec)).resolve("package.json"))) {
            return;
        }
        Files.createDirectories(dir);
        Result install;
        try {
            install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", spec), dir, INSTALL_TIMEOUT);
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to install " + spec + " (" + purpose + ") and could not be run: "
                    + e.getMessage(), e);
        }
        if (install.exitCode() != 0) {
            throw new IllegalStateException("npm install " + spec + " (" + purpose + ") failed (is the npm registry reachable?):\n"
                    + install.output());
        }
    }

    /** The package name of {@code name@version} or {@code @scope/name@version}. */
    static String packageName(String spec) {
        int version = spec.lastIndexOf('@');
        return version > 0 ? spec.substring(0, version) : spec;
    }

    /** A finished command: its exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) {}

    /** Runs {@code command} in {@code dir} to its end, at most {@code timeout}; fails when it takes longer. */
    public static Result run(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code command} in {@code dir} with {@code environment} added, its output into {@code log}, and waits
     * until {@code ready} says so; fails with the log when the process ends first or is not ready within
     * {@code timeout}. {@code name} names the tool in that failure.
     */
    public static Started start(String name, List<String> command, Path dir, Map<String, String> environment, Path log,
            Duration timeout, BooleanSupplier ready) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Instant deadline = Instant.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            boolean ended = !process.isAlive();
            if (ended || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + (ended ? " ended before it was ready" : " was not ready within "
                        + timeout.toSeconds() + " s") + "; its log: " + Files.readString(log));
            }
            process.waitFor(100, TimeUnit.MILLISECONDS); // a bounded wait that ends early if the process dies
        }
        return new Started(process);
    }

    /** A started tool's process: {@link #close()} ends it (SIGTERM, then SIGKILL after 10 s). */
    public static final class Started implements AutoCloseable {

        private final Process process;

        private Started(Process process) {
            this.process = process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The tool's standard input, for tools driven by commands (its output goes to the log). */
        public java.io.OutputStream input() {
            return process.getOutputStream();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
