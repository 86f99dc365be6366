package io.millwright.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver nobody in the hub wrote: the JDK's HTTP server on a free loopback port, answering
 * 204 to each POST to {@code /hook} and keeping its body.
 */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    private WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** A started receiver. */
    public static WebhookReceiver start() {
        return new WebhookReceiver();
    }

    /** {@code http://127.0.0.1:<port>/hook}, for {@code millwright.alerting.webhook-url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The bodies received so far, in arrival order. */
    public List<String> bodies() {
        return bodies;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
