package io.millwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Drives every operation of the hub's own OpenAPI document ({@code /v3/api-docs}) with malformed
 * path and query parameters and malformed bodies, as admin (so that no request stops at the
 * login; a form-login session, so no password hash per request): no answer may be a 5xx, and no error answer may show a Java class name or a stack trace.
 * Each operation gets its parameters one at a time with a bad value (the others absent or
 * well-formed), and, when it takes a body, broken JSON and each field with a value of the wrong
 * type. The counts are printed ("API fuzz: ...").
 */
class ApiFuzzTest extends SecuredHubTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final List<String> BAD_VALUES = List.of(
            "abc", "-1", "99999999999999999999999", "1e99", " ", "%00", "' OR 1=1 --", "FOO",
            "2026-13-45T99:99:99Z", "{\"a\":1}", "x".repeat(2_000));
    private static final List<String> BAD_BODIES = List.of(
            "", "{", "[]", "null", "123", "\"text\"", "{\"unclosed\": ", "{}", "[{}]", "{\"a\":{\"b\":[[[[[[]]]]]]}}");
    /** A qualified Java class name or a stack frame. */
    private static final Pattern JAVA_LEAK = Pattern.compile(
            "\\b(java|javax|jakarta|org\\.springframework|com\\.fasterxml|org\\.h2|io\\.millwright)\\.[a-z0-9_.]*[A-Z]\\w*"
                    + "|\\tat |Exception:");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void noServerErrorNorJavaLeak_whenEveryOperationGetsMalformedInput() throws Exception {
        Session admin = login("admin");
        HttpResponse<String> docs = admin.send("GET", "/v3/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode api = json.readTree(docs.body());

        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int operations = 0;
        int streams = 0;
        int requests = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                if (isLiveStream(op.getValue())) {
                    // a server-sent event stream never ends (it takes no parameters or body to fuzz): LiveFeedTest
                    streams++;
                    continue;
                }
                operations++;
                String method = op.getKey().toUpperCase();
                for (Request request : requests(api, path.getKey(), op.getValue())) {
                    HttpResponse<String> response = admin.send(method, request.uri(), request.body());
                    requests++;
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    String what = method + " " + abbreviate(request.uri()) + " body=" + abbreviate(request.body());
                    if (response.statusCode() >= 500) {
                        failures.add(what + " -> " + response.statusCode() + " " + abbreviate(response.body()));
                    } else if (response.statusCode() >= 400 && JAVA_LEAK.matcher(response.body()).find()) {
                        failures.add(what + " -> " + response.statusCode() + " leaks " + abbreviate(response.body()));
                    }
                }
            }
        }
        System.out.printf("API fuzz: %d operations, %d requests, statuses %s, %d failures (%d event streams not fuzzed)%n",
                operations, requests, statuses, failures.size(), streams);

        assertThat(operations).as("operations in /v3/api-docs").isGreaterThan(0);
        assertThat(failures).as("answers with 5xx or a Java name, of %d requests", requests).isEmpty();
    }

    private List<Request> requests(JsonNode api, String pathTemplate, JsonNode operation) {
        List<JsonNode> parameters = new ArrayList<>();
        operation.path("parameters").forEach(parameters::add);
        List<Request> requests = new ArrayList<>();
        String wellFormedPath = pathTemplate;
        for (JsonNode parameter : parameters) {
            if (parameter.path("in").asText().equals("path")) {
                wellFormedPath = wellFormedPath.replace("{" + parameter.path("name").asText() + "}", "1");
            }
        }
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asText();
            String in = parameter.path("in").asText();
            for (String bad : BAD_VALUES) {
                String encoded = URLEncoder.encode(bad, StandardCharsets.UTF_8).replace("+", "%20");
                if (in.equals("path")) {
                    String uri = pathTemplate.replace("{" + name + "}", encoded);
                    for (JsonNode other : parameters) {
                        uri = uri.replace("{" + other.path("name").asText() + "}", "1");
                    }
                    requests.add(new Request(uri, wellFormedBody(operation)));
                } else if (in.equals("query")) {
                    requests.add(new Request(wellFormedPath + "?" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                            + "=" + encoded, wellFormedBody(operation)));
                }
            }
        }
        requests.add(new Request(wellFormedPath, wellFormedBody(operation)));
        JsonNode schema = bodySchema(api, operation);
        if (schema != null) {
            for (String body : BAD_BODIES) {
                requests.add(new Request(wellFormedPath, body));
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = resolve(api, schema).path("properties").fields();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                for (Object wrong : List.of("abc", -1, 1e308, true, List.of(), Map.of("x", 1))) {
                    ObjectNode body = json.createObjectNode();
                    body.set(field.getKey(), json.valueToTree(wrong));
                    requests.add(new Request(wellFormedPath, body.toString()));
                }
            }
        }
        return requests;
    }

    private static String wellFormedBody(JsonNode operation) {
        return operation.has("requestBody") ? "{}" : null;
    }

    private static JsonNode bodySchema(JsonNode api, JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return null;
        }
        JsonNode media = content.has("application/json") ? content.get("application/json") : content.elements().next();
        return media.path("schema");
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            return api.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "-";
        }
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    private record Request(String uri, String body) {}

    /** An operation that answers only with {@code text/event-stream}. */
    private static boolean isLiveStream(JsonNode operation) {
        for (JsonNode response : operation.path("responses")) {
            if (response.path("content").has("text/event-stream")) {
                return true;
            }
        }
        return false;
    }
}
