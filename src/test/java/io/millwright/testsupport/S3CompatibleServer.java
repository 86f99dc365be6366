package io.millwright.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real S3-compatible server for tests: npm's {@code s3rver} (a Node.js implementation of the S3
 * REST API, objects on the file system), started as a child process on a
 * free loopback port and stopped by {@link #close()}. Installed into {@code target/s3rver} on first
 * use ({@link NpmTool}). No npm or node, no pass: start-up fails saying so.
 *
 * <p>Why not {@code org.gaul:s3proxy} in process: every release (2.6.0, 2.7.0, 3.0.0) runs on Jetty
 * 11, which Spring Boot 3.5's managed Jetty 12 would replace on the test classpath, and it brings
 * jclouds, Azure and OpenTelemetry trees into every test. s3rver keeps the test classpath as it is.
 *
 * <p>Its credentials are fixed: access key {@value #ACCESS_KEY}, secret {@value #SECRET_KEY}. It
 * refuses an unknown access key ({@code InvalidAccessKeyId}) but does not verify SigV4 signatures, so
 * a wrong secret is not caught here.
 */
public final class S3CompatibleServer implements AutoCloseable {

    public static final String PACKAGE = "s3rver@3.7.1";
    public static final String ACCESS_KEY = "S3RVER";
    public static final String SECRET_KEY = "S3RVER";
    static final Path INSTALL_DIR = Path.of("target", "s3rver").toAbsolutePath();

    private final NpmTool.Started process;
    private final int port;

    private S3CompatibleServer(NpmTool.Started process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs s3rver if needed and starts it on a free port with its objects under {@code dataDir}. */
    public static S3CompatibleServer start(Path dataDir) throws IOException, InterruptedException {
        NpmTool.install(INSTALL_DIR, PACKAGE, "the S3-compatible test server");
        int port = FreePorts.next();
        Files.createDirectories(dataDir);
        NpmTool.Started process = NpmTool.start("s3rver on 127.0.0.1:" + port,
                List.of("node", INSTALL_DIR.resolve("node_modules/s3rver/bin/s3rver.js").toString(),
                        "-d", dataDir.toAbsolutePath().toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "--no-vhost-buckets"),
                INSTALL_DIR, Map.of(), dataDir.resolveSibling(dataDir.getFileName() + ".log"), Duration.ofSeconds(30),
                () -> accepts(port));
        return new S3CompatibleServer(process, port);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
    /** The service URL, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
