package io.millwright.dashboard;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Closing a live client whose response Tomcat already ended (the browser went away mid-send). */
class SseEmitterSinkTest {

    // Seen in DashboardBrowserIT: the writer thread's send fails, the client disconnects, and completing
    // the emitter throws because the container ended the async request first; that must not escape
    @Test
    void closingAClientWhoseResponseTheContainerAlreadyEnded_doesNotThrow() {
        SseEmitter ended = new SseEmitter() {
            @Override
            public synchronized void complete() {
                throw new IllegalStateException("A non-container (application) thread attempted to use the AsyncContext"
                        + " after an error had occurred and the call to AsyncListener.onError() had returned.");
            }
        };

        assertThatCode(() -> new SseEmitterSink(ended).close()).doesNotThrowAnyException();
    }
}
