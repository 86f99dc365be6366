package io.millwright.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of one test's own, on a free loopback port (Mosquitto 2 without a configuration
 * file listens on the loopback only), beside the machine's shared one: what is published there is
 * seen only by the clients the test connects to it. Stopped on close.
 */
public final class PrivateMqttBroker implements AutoCloseable {

    public final String url;
    private final Process process;
    private final int port;

    private PrivateMqttBroker(Process process, int port) {
        this.process = process;
        this.port = port;
        this.url = "tcp://127.0.0.1:" + port;
    }

    /** Starts {@code mosquitto -p <free port>} and waits until it accepts connections. */
    public static PrivateMqttBroker start() throws IOException {
        int port = FreePorts.next();
        Process process = new ProcessBuilder("mosquitto", "-p", String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        PrivateMqttBroker broker = new PrivateMqttBroker(process, port);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .failFast("mosquitto exited", () -> !process.isAlive()).until(broker::reachable);
        return broker;
    }

    private boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
