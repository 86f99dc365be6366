package io.millwright.alerting;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * An Artemis address (a JMS topic, so every subscriber gets each alert) through Camel's JMS
 * component on the hub's broker connection: the alert's CloudEvents JSON as a text message, with
 * the properties {@code severity}, {@code status} and {@code rule} for JMS selectors (for example
 * {@code severity = 'critical'}). The canonical {@code alert} events are on
 * {@code millwright.events.alert} anyway; this channel is an address of the plant's own choosing.
 */
class ArtemisChannel extends AlertChannel {

    private final ProducerTemplate producer;
    private final String uri;

    ArtemisChannel(String name, Set<String> severities, ProducerTemplate producer, String address) {
        super(name, "artemis", severities);
        this.producer = producer;
        this.uri = "jms:topic:" + address;
    }

    @Override
    protected void send(AlertEngine.Alert alert, byte[] cloudEventJson) {
        Exchange sent = producer.send(uri, exchange -> {
            exchange.getMessage().setHeaders(new java.util.HashMap<>(Map.of(
                    "severity", alert.severity(), "status", alert.status(), "rule", alert.rule())));
            exchange.getMessage().setBody(new String(cloudEventJson, StandardCharsets.UTF_8));
        });
        if (sent.getException() != null) {
            throw new IllegalStateException(sent.getException().getMessage(), sent.getException());
        }
    }
}
