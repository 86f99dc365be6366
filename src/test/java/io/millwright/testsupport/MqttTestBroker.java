package io.millwright.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The machine's Mosquitto broker (127.0.0.1:1883, shared by every test run: use unique topics),
 * started with the machine's command when it is down.
 */
public final class MqttTestBroker {

    public static final String URL = "tcp://127.0.0.1:1883";

    private MqttTestBroker() {}

    /** The broker's URL, once it accepts connections. */
    public static String ensureRunning() {
        if (reachable()) {
            return URL;
        }
        try {
            new ProcessBuilder("mosquitto", "-d", "-p", "1883").inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("Mosquitto is not reachable at " + URL + " and could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(MqttTestBroker::reachable);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Mosquitto is not reachable at " + URL + "; start it (mosquitto -d -p 1883)", e);
        }
        return URL;
    }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 1883), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
