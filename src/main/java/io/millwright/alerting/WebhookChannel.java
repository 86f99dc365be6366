package io.millwright.alerting;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook channel: each raised or cleared alert is POSTed as its CloudEvents JSON
 * ({@code Content-Type: application/cloudevents+json}), tried {@code attempts} times a second
 * apart; a 2xx answer is delivery. The URL is never logged (it may carry a token): logs say
 * "the webhook" and the host.
 */
class WebhookChannel {

    private static final Logger log = LoggerFactory.getLogger(WebhookChannel.class);

    private final URI url;
    private final Duration timeout;
    private final int attempts;
    private final HttpClient http;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;

    WebhookChannel(String url, Duration timeout, int attempts) {
        this.url = url == null || url.isBlank() ? null : URI.create(url.trim());
        this.timeout = timeout;
        this.attempts = attempts;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    boolean configured() {
        return url != null;
    }

    /** Sends one alert; returns whether it was delivered. */
    boolean send(byte[] cloudEventJson) {
        if (url == null) {
            return false;
        }
        String reason = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(url)
                        .timeout(timeout)
                        .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(cloudEventJson))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() / 100 == 2) {
                    sent.incrementAndGet();
                    lastFailure = null;
                    return true;
                }
                reason = "HTTP " + answer.statusCode();
            } catch (IOException e) {
                reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reason = "interrupted";
                break;
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        failed.incrementAndGet();
        lastFailure = "the webhook on " + url.getHost() + " did not take an alert after " + attempts + " attempts: " + reason;
        lastFailureAt = Instant.now();
        log.warn("Alert not delivered channel=webhook host={} attempts={} reason={}", url.getHost(), attempts, reason);
        return false;
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    Instant lastFailureAt() {
        return lastFailureAt;
    }
}
