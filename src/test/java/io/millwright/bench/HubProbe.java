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
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Asks a running hub over HTTP what the benchmark needs: whether it is ready
 * ({@code /actuator/health/readiness} answers 200 UP) and how many OPC UA monitored items it has
 * created ({@code /actuator/health} with the admin login: the details of a health component whose
 * name contains {@code opcua}; a number whose name contains "created" is taken as items created,
 * summed over such components). A hub without such a component answers empty.
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

    /** Monitored items the hub's OPC UA health component reports as created, if it reports any. */
    OptionalLong itemsCreated() throws InterruptedException {
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
            return OptionalLong.empty();
        }
        long[] created = {0};
        boolean[] found = {false};
        collect(health.path("components"), false, created, found);
        return found[0] ? OptionalLong.of(created[0]) : OptionalLong.empty();
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

    private static void collect(JsonNode node, boolean inOpcUa, long[] created, boolean[] found) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey().toLowerCase();
            JsonNode value = field.getValue();
            boolean opcUa = inOpcUa || name.contains("opcua") || name.contains("opc-ua");
            if (opcUa && value.isNumber() && name.contains("created")) {
                created[0] += value.asLong();
                found[0] = true;
            } else if (value.isObject()) {
                collect(value, opcUa, created, found);
            }
        }
    }
}
