package io.millwright.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP channel: each raised or cleared alert is POSTed, tried {@code attempts} times (1 s, 2 s,
 * ... apart); a 2xx answer is delivery.
 * <ul>
 *   <li>{@code webhook}: the alert's CloudEvents JSON ({@code Content-Type: application/cloudevents+json});</li>
 *   <li>{@code chat}: {@code {"text": "[CRITICAL] RAISED ..."}}, the body both a Slack incoming
 *       webhook and a Microsoft Teams incoming webhook (Office 365 connector card) take.</li>
 * </ul>
 * The URL is never logged (it carries the token): logs and health say the channel's name.
 */
class WebhookChannel extends AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final int attempts;
    private final boolean chat;
    private final HttpClient http;

    WebhookChannel(String name, boolean chat, String url, Duration timeout, int attempts, Set<String> severities) {
        super(name, chat ? "chat" : "webhook", severities);
        this.url = URI.create(url.trim());
        this.timeout = timeout;
        this.attempts = attempts;
        this.chat = chat;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    protected void send(AlertEngine.Alert alert, byte[] cloudEventJson) throws IOException, InterruptedException {
        byte[] body = chat ? JSON.writeValueAsBytes(Map.of("text", text(alert))) : cloudEventJson;
        String contentType = chat ? "application/json" : "application/cloudevents+json; charset=UTF-8";
        String reason = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() / 100 == 2) {
                    return;
                }
                reason = "HTTP " + answer.statusCode();
            } catch (IOException e) {
                reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < attempts) {
                Thread.sleep(1000L * attempt);
            }
        }
        throw new IOException("host " + url.getHost() + " after " + attempts + " attempts: " + reason);
    }
}
