package io.millwright.connectors;

import io.millwright.model.Endpoints;
import io.millwright.model.EventType;
import io.millwright.model.InvalidEventException;
import io.millwright.model.MessageHeaders;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.builder.DeadLetterChannelBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Two routes per running connector:
 * <ul>
 *   <li>{@code connector-<name>-consume}: the Kafka topics of its event types, in its own consumer
 *       group from the latest records (a new connector does not replay the plant's history);</li>
 *   <li>{@code connector-<name>-deliver}: condition, mapping, and the HTTP request through camel-http
 *       (basic and OAuth2 client credentials are camel-http's own options, the token cached until it
 *       expires). Transient failures (connection errors, 408, 429, 5xx) are retried with exponential
 *       back-off; a refusal (other 4xx), a mapping that fails, or the last failed try dead-letters the
 *       event as it arrived, with the reason, to be resubmitted to this route.</li>
 * </ul>
 * Every request carries {@code Idempotency-Key} (the event's CloudEvents id) and
 * {@code X-Correlation-Id}, so a target sees a resubmission as the same event.
 */
class ConnectorRoutes extends RouteBuilder {

    private final List<Connectors.Running> connectors;
    private final Function<ConnectorDefinition, String> source;

    /**
     * @param connectors the connectors to build routes for (all at start; one when its file is saved)
     * @param source     the endpoint a connector consumes from: {@link #kafkaTopics} in the hub
     */
    ConnectorRoutes(List<Connectors.Running> connectors, Function<ConnectorDefinition, String> source) {
        this.connectors = List.copyOf(connectors);
        this.source = source;
    }

    /** The Kafka topics of the connector's event types, in its own consumer group from the latest records. */
    static String kafkaTopics(ConnectorDefinition connector) {
        String topics = connector.on().stream().map(EventType::destination).collect(Collectors.joining(","));
        return "kafka:" + topics
                + "?groupId=" + connector.consumerGroup()
                + "&autoOffsetReset=latest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer";
    }

    @Override
    public void configure() {
        // a refusal or a mapping mistake is not retried: straight to the dead-letter store
        onException(Exception.class)
                .onWhen(exchange -> !isTransient(failure(exchange)))
                .useOriginalMessage()
                .maximumRedeliveries(0);
        // the connector's retry settings are the only retries: none hidden in HttpClient (it re-sends on 503 and 429)
        getCamelContext().getRegistry().bind(NO_AUTOMATIC_RETRIES, HttpClientConfigurer.class,
                (HttpClientConfigurer) HttpClientBuilder::disableAutomaticRetries);
        for (Connectors.Running connector : connectors) {
            consume(connector.definition());
            deliver(connector);
        }
    }

    private void consume(ConnectorDefinition connector) {
        String topics = connector.on().stream().map(EventType::destination).collect(Collectors.joining(","));
        from(source.apply(connector))
                .routeId(connector.consumeRouteId())
                .routeDescription(connector.system() + " connector " + connector.name() + ": takes " + topics)
                .routeProperty("layer", "4").routeProperty("outcome", connector.outcome() == null ? "" : connector.outcome())
                .to(connector.deliverEndpoint());
    }

    private void deliver(Connectors.Running running) {
        ConnectorDefinition connector = running.definition();
        ConnectorStatus status = running.status();
        ConnectorDefinition.Retry retry = connector.retry();
        DeadLetterChannelBuilder errors = deadLetterChannel(Endpoints.DEAD_LETTER);
        errors.useOriginalMessage()
                .redeliveryDelay(retry.delay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(retry.multiplier())
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .maximumRedeliveries(retry.attempts() - 1)
                .onRedelivery(exchange -> status.retried(describe(exchange)))
                .onPrepareFailure(exchange -> {
                    String reason = "connector " + connector.name() + ": " + describe(exchange);
                    status.deadLettered(reason);
                    exchange.getMessage().setHeader(MessageHeaders.DEAD_LETTER_REASON, reason);
                })
                .logExhausted(false)
                .logStackTrace(false);

        from(connector.deliverEndpoint())
                .routeId(connector.deliverRouteId())
                .routeDescription(connector.system() + " connector " + connector.name() + ": maps with "
                        + connector.mapping().getFileName() + " and sends " + connector.request().method() + " to "
                        + connector.request().url())
                .routeProperty("layer", "4").routeProperty("outcome", connector.outcome() == null ? "" : connector.outcome())
                .errorHandler(errors)
                .setProperty(MessageHeaders.RESUBMIT_ENDPOINT, constant(connector.deliverEndpoint()))
                .process(exchange -> prepare(exchange, running))
                .choice()
                    .when(exchangeProperty(SKIPPED).isEqualTo(true))
                        .process(exchange -> status.skipped())
                    .otherwise()
                        .to(httpUri(connector))
                        .process(exchange -> status.delivered())
                .end();
    }

    private static final String SKIPPED = "MillwrightConnectorSkipped";
    private static final String NO_AUTOMATIC_RETRIES = "millwrightConnectorHttpClientConfigurer";

    /** Condition, mapping and headers; the Kafka record's headers never reach the target. */
    private static void prepare(Exchange exchange, Connectors.Running running) throws IOException {
        ConnectorDefinition connector = running.definition();
        byte[] event = exchange.getMessage().getBody(byte[].class);
        if (event == null) {
            throw InvalidEventException.field("body", null, "an event is required");
        }
        Map<String, Object> input = running.mapping().input(event);
        exchange.getMessage().removeHeaders("*");
        if (!running.mapping().accepts(input)) {
            exchange.setProperty(SKIPPED, true);
            return;
        }
        byte[] body = running.mapping().map(input);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, connector.request().method());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Idempotency-Key", String.valueOf(input.get("id")));
        Object correlationId = input.get("correlationid");
        if (correlationId != null) {
            exchange.getMessage().setHeader("X-Correlation-Id", correlationId.toString());
        }
        connector.request().headers().forEach(exchange.getMessage()::setHeader);
        if ("api-key".equals(connector.auth().type())) {
            exchange.getMessage().setHeader(connector.auth().header(), connector.auth().secret());
        }
    }

    /** camel-http's endpoint, with basic or OAuth2 credentials as its own (secret, masked) options. */
    static String httpUri(ConnectorDefinition connector) {
        ConnectorDefinition.Auth auth = connector.auth();
        StringBuilder uri = new StringBuilder(connector.request().url());
        uri.append(connector.request().url().contains("?") ? '&' : '?');
        uri.append("httpMethod=").append(connector.request().method());
        uri.append("&httpClientConfigurer=#").append(NO_AUTOMATIC_RETRIES);
        switch (auth.type()) {
            case "basic" -> uri.append("&authMethod=Basic&authenticationPreemptive=true")
                    .append("&authUsername=RAW(").append(auth.username()).append(')')
                    .append("&authPassword=RAW(").append(auth.secret()).append(')');
            case "oauth2-client-credentials" -> {
                uri.append("&oauth2ClientId=RAW(").append(auth.clientId()).append(')')
                        .append("&oauth2ClientSecret=RAW(").append(auth.secret()).append(')')
                        .append("&oauth2TokenEndpoint=RAW(").append(auth.tokenUrl()).append(')')
                        .append("&oauth2CacheTokens=true");
                if (auth.scope() != null) {
                    uri.append("&oauth2Scope=").append(URLEncoder.encode(auth.scope(), StandardCharsets.UTF_8));
                }
            }
            default -> { }
        }
        return uri.toString();
    }

    /** Connection errors, 408, 429 and 5xx are worth another try; a refusal or a mapping error is not. */
    static boolean isTransient(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int code = http.getStatusCode();
                return code == 408 || code == 429 || code >= 500;
            }
            if (t instanceof InvalidEventException) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exchange exchange) {
        return describe(failure(exchange));
    }

    private static Exception failure(Exchange exchange) {
        Exception cause = exchange.getException();
        return cause != null ? cause : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    /** The target's answer without the URL's query (camel-http's message names the URI). */
    static String describe(Throwable cause) {
        if (cause instanceof HttpOperationFailedException http) {
            String body = http.getResponseBody();
            return "HTTP " + http.getStatusCode() + " from the target"
                    + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip(), 300));
        }
        if (cause == null) {
            return "(no exception recorded)";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + abbreviate(message, 300));
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
