package io.millwright.dashboard;

import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A live client's events written as server-sent events; a heartbeat is an SSE comment line. */
final class SseEmitterSink implements LiveFeed.Sink {

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
        emitter.complete();
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
