package io.millwright.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailEndpoint;

/**
 * Mail over SMTP through Camel's mail component: one message per raised or cleared alert, subject
 * {@code [Millwright] CRITICAL RAISED maintenance-needed for <key>}, the line for people and then
 * the alert's CloudEvents JSON as the body. The password is set on the endpoint's configuration,
 * never written into its URI, so Camel's route and endpoint listings do not show it.
 */
class MailChannel extends AlertChannel {

    private final ProducerTemplate producer;
    private final MailEndpoint endpoint;

    /**
     * @param secure {@code smtps} (TLS from the first byte) instead of {@code smtp}
     */
    MailChannel(String name, Set<String> severities, CamelContext camel, ProducerTemplate producer, String host, int port,
            boolean secure, String username, String password, String from, String to, Duration timeout) {
        super(name, "mail", severities);
        this.producer = producer;
        this.endpoint = camel.getEndpoint((secure ? "smtps" : "smtp") + "://" + host + ":" + port
                + "?connectionTimeout=" + timeout.toMillis() + "&from=RAW(" + from + ")&to=RAW(" + to + ")", MailEndpoint.class);
        if (username != null && !username.isBlank()) {
            endpoint.getConfiguration().setUsername(username);
            endpoint.getConfiguration().setPassword(password);
        }
    }

    @Override
    protected void send(AlertEngine.Alert alert, byte[] cloudEventJson) {
        Exchange sent = producer.send(endpoint, exchange -> {
            exchange.getMessage().setHeader("Subject", "[Millwright] " + alert.severity().toUpperCase(Locale.ROOT) + " "
                    + alert.status() + " " + alert.rule() + " for " + alert.key());
            exchange.getMessage().setHeader("Content-Type", "text/plain; charset=UTF-8");
            exchange.getMessage().setBody(text(alert) + "\n\n" + new String(cloudEventJson, StandardCharsets.UTF_8) + "\n");
        });
        if (sent.getException() != null) {
            throw new IllegalStateException(sent.getException().getMessage(), sent.getException());
        }
    }
}
