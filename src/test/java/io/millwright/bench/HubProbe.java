package io.millwright.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Asks a running hub over HTTP what the benchmark needs: whether it is ready
 * ({@code /actuator/health/readiness} answers 200 UP) and how far it is in creating its OPC UA
 * monitored items ({@code /actuator/health} with the admin login: component {@code opcua}, one
 * detail per connection with {@code itemsRequested}, {@code itemsCreated}, {@code itemsFailed}
 * and {@code creationTime}, the hub's own measure of how long the creation took).
 */
final class HubProbe {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper objectMapper = new ObjectMapper();
    private final String base;
    private final String authorization;

    HubProbe(int port, String adminPassword) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    boolean isReady() throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("UP");
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * What the hub's OPC UA health component reports about creating monitored items, summed over
     * its connections; empty when the hub has no such component (camel-milo's hub had none).
     */
    Optional<Creation> creation() throws InterruptedException {
        JsonNode health;
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                            .header("Authorization", authorization)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            health = objectMapper.readTree(response.body());
        } catch (IOException unavailable) {
            return Optional.empty();
        }
        JsonNode details = health.path("components").path("opcua").path("details");
        long requested = 0;
        long created = 0;
        long failed = 0;
        Duration longest = Duration.ZERO;
        boolean finished = true;
        boolean found = false;
        for (JsonNode connection : details) {
            if (!connection.has("itemsCreated")) {
                continue;
            }
            found = true;
            requested += connection.path("itemsRequested").asLong();
            created += connection.path("itemsCreated").asLong();
            failed += connection.path("itemsFailed").asLong();
            String took = connection.path("creationTime").asText("");
            if (took.startsWith("PT")) {
                Duration duration = Duration.parse(took);
                longest = duration.compareTo(longest) > 0 ? duration : longest;
            } else {
                finished = false;
            }
        }
        return found ? Optional.of(new Creation(requested, created, failed, finished ? longest : null)) : Optional.empty();
    }

    /**
     * Monitored items of the hub's OPC UA connections.
     *
     * @param took how long the hub took to create them (its own figure), null while in progress
     */
    record Creation(long requested, long created, long failed, Duration took) {

        boolean isFinished() {
            return took != null && created + failed >= requested;
        }
    }

    /** The health document as text, for the report when the figure cannot be found. */
    String healthText() throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                                    .header("Authorization", authorization)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

}
