package io.millwright.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.Endpoints;
import io.millwright.model.MessageHeaders;
import io.millwright.model.Parked;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Receives what every error policy dead-letters ({@code direct:tracking-dead-letter}) and parks
 * it in the {@link DeadLetterStore} with the failing route, the endpoint to resubmit to, and the
 * reason: the header {@code MillwrightDeadLetterReason} ({@link MessageHeaders#DEAD_LETTER_REASON}) when a route set one, else the exception's message.
 * Also parks the single items a flow sets aside while the rest of its batch goes on
 * ({@code direct:tracking-park}, a list of {@link Parked}).
 */
@Component
public class DeadLetterRoute extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRoute.class);

    private final DeadLetterStore store;
    private final ObjectMapper objectMapper;

    public DeadLetterRoute(DeadLetterStore store, ObjectMapper objectMapper) {
        this.store = store;
        this.objectMapper = objectMapper;
    }

    @Override
    public void configure() {
        from(Endpoints.DEAD_LETTER)
                .routeId("tracking-dead-letter")
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Parks failed messages with their reason in the dead-letter store")
                .process(this::park);

        from(Endpoints.DEAD_LETTER_CLOSE)
                .routeId("tracking-dead-letter-close")
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Closes the parked dead letters of a correlation id that their owner settled (discarded, resubmitted)")
                .process(exchange -> {
                    String correlationId = exchange.getMessage().getMandatoryBody(String.class);
                    DeadLetter.Status outcome = DeadLetter.Status.valueOf(
                            exchange.getMessage().getHeader(MessageHeaders.DEAD_LETTER_OUTCOME, String.class));
                    int closed = store.closeParked(correlationId, outcome);
                    log.info("Dead letters closed correlationId={} outcome={} closed={}", correlationId, outcome, closed);
                    exchange.getMessage().setBody(closed);
                });

        from(Endpoints.PARK)
                .routeId("tracking-park")
                .routeProperty("layer", "1").routeProperty("outcome", "predictability")
                .routeDescription("Parks the items a flow could not process, each with its own reason, in the dead-letter store")
                .process(this::parkItems);
    }

    /** Items parked by a flow that went on with the rest of its batch ({@link Parked}). */
    private void parkItems(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        List<?> items = body instanceof List<?> list ? list : List.of(exchange.getMessage().getMandatoryBody(Parked.class));
        for (Object item : items) {
            Parked parked = (Parked) item;
            long id = store.park(parked.routeId(), parked.resubmitEndpoint(), parked.reason(), parked.exceptionClass(),
                    parked.correlationId(), payloadText(parked.payload()), "{}");
            log.warn("Dead-lettered deadLetterId={} routeId={} reason={}", id, parked.routeId(), parked.reason());
        }
    }

    private void park(Exchange exchange) throws JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String reason = exchange.getMessage().getHeader(MessageHeaders.DEAD_LETTER_REASON, String.class);
        if (reason == null) {
            reason = describe(cause);
        }
        long id = store.park(
                routeId == null ? "unknown" : routeId,
                resubmitEndpoint(exchange, routeId),
                reason,
                cause == null ? null : cause.getClass().getName(),
                exchange.getMessage().getHeader(MessageHeaders.CORRELATION_ID, String.class),
                payloadText(resubmitBody(exchange)),
                objectMapper.writeValueAsString(safeHeaders(exchange.getMessage().getHeaders())));
        log.warn("Dead-lettered deadLetterId={} routeId={} reason={}", id, routeId, reason);
    }

    /** The body declared with the re-entry point, else the message (the original one, under useOriginalMessage). */
    private static Object resubmitBody(Exchange exchange) {
        Object declared = exchange.getProperty(MessageHeaders.RESUBMIT_BODY);
        return declared != null ? declared : exchange.getMessage().getBody();
    }

    /** The declared re-entry, else the failing route's own consumer endpoint: sending the payload there replays it. */
    private String resubmitEndpoint(Exchange exchange, String routeId) {
        String declared = exchange.getProperty(MessageHeaders.RESUBMIT_ENDPOINT, String.class);
        if (declared != null) {
            return declared;
        }
        Route route = routeId == null ? null : exchange.getContext().getRoute(routeId);
        if (route != null) {
            return route.getEndpoint().getEndpointUri();
        }
        return exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
    }

    private String payloadText(Object body) throws JsonProcessingException {
        if (body == null) {
            return null;
        }
        if (body instanceof String text) {
            return text;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return objectMapper.writeValueAsString(body);
    }

    /** Simple header values only, and never credentials. */
    private static Map<String, Object> safeHeaders(Map<String, Object> headers) {
        Map<String, Object> safe = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean secret = lower.contains("authorization") || lower.contains("password")
                    || lower.contains("token") || lower.contains("cookie") || lower.contains("secret");
            boolean simple = value instanceof String || value instanceof Number || value instanceof Boolean;
            if (!secret && simple) {
                safe.put(name, value);
            }
        });
        return safe;
    }

    /** The exception's message, then each distinct cause's, so the root reason is never hidden. */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "(no exception recorded)";
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                if (!text.isEmpty()) {
                    text.append("; caused by: ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }
}
