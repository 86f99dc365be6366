package io.millwright.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on 127.0.0.1 for tests that start real servers. The OS picks an ephemeral port,
 * so tests never collide with the well-known ports (61616, 9092, 4840, ...) other processes on the
 * machine use; a port is never handed out twice in one JVM, so two servers started by the same
 * test don't race for it.
 */
public final class FreePorts {

    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A port nobody listened on a moment ago, and not handed out before in this JVM. */
    public static int next() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = socket.getLocalPort();
                if (handedOut.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("no fresh free port on 127.0.0.1 after 50 attempts");
    }
}
