package io.millwright.dashboard;

import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A live client's events written as server-sent events; a heartbeat is an SSE comment line. */
final class SseEmitterSink implements LiveFeed.Sink {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SseEmitterSink.class);

    private final SseEmitter emitter;

    SseEmitterSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void send(LiveFeed.Outgoing event) throws IOException {
        if (event.name() == null) {
            emitter.send(SseEmitter.event().comment(String.valueOf(event.data())));
        } else {
            SseEmitter.SseEventBuilder sse = SseEmitter.event().name(event.name()).data(event.data(), MediaType.APPLICATION_JSON);
            emitter.send(event.id() == null ? sse : sse.id(event.id()));
        }
    }

    @Override
    public void close() {
        try {
            emitter.complete();
        } catch (IllegalStateException alreadyEnded) {
            // Tomcat already ended the response after a network error (the browser went away) and refuses
            // to complete it from our writer thread; there is nothing left to close. Uncaught, this
            // killed the writer thread's task with a stack trace (seen in DashboardBrowserIT).
            log.debug("Live client's response already ended by the container reason={}", alreadyEnded.getMessage());
        }
    }

    /** Connects a new client of {@code stream} whose emitter ends the client when the response ends. */
    static SseEmitter open(LiveFeed feed, LiveFeed.Stream stream, LiveFeed.Outgoing snapshot, long timeoutMillis) {
        SseEmitter emitter = new SseEmitter(timeoutMillis);
        LiveFeed.Client client = feed.connect(stream, new SseEmitterSink(emitter), snapshot);
        emitter.onCompletion(client::disconnect);
        emitter.onTimeout(client::disconnect);
        emitter.onError(error -> client.disconnect());
        return emitter;
    }
}
